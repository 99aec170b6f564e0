// Where files live in R2, and the URL paths that serve them (the path is /api/files/<key>).
// A room's files share a prefix, so they can be found and removed together.

export const roomFilePrefix = (roomId: string) => `rooms/${roomId}/`;
export const fileKey = (roomId: string, attachmentId: string) => `rooms/${roomId}/${attachmentId}/file`;
export const thumbnailKey = (roomId: string, attachmentId: string) =>
  `rooms/${roomId}/${attachmentId}/thumbnail`;
export const avatarKey = (userId: string, version: string) => `avatars/${userId}/${version}`;
export const previewImageKey = (previewId: string) => `previews/${previewId}`;

export const filePath = (key: string) => `/api/files/${key.split("/").map(encodeURIComponent).join("/")}`;

/** An avatar's URL needs no signature: its key is unguessable and new for every upload (see users/avatar-routes.ts). */
export const avatarUrl = (key: string | null) => (key ? filePath(key) : null);
