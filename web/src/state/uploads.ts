import type { Attachment } from "../api/types";

// The files waiting in the composer: each one uploading (with its progress), uploaded (its
// Attachment, ready to send), or failed (to retry or remove). Pure, like the room's state, so the
// tests drive it without a browser; room/use-uploads.ts runs the uploads themselves.

export type Upload = {
  /** Ours, for the list's keys and actions: the server's id comes only with the answer. */
  localId: string;
  name: string;
  size: number;
  type: string;
  /** 0–1 while uploading. */
  progress: number;
  status: "uploading" | "done" | "failed";
  attachment?: Attachment;
  error?: string;
};

export type UploadAction =
  | { type: "added"; uploads: Upload[] }
  | { type: "progress"; localId: string; progress: number }
  | { type: "done"; localId: string; attachment: Attachment }
  | { type: "failed"; localId: string; error: string }
  | { type: "retried"; localId: string }
  | { type: "removed"; localId: string }
  /** The message with these files was sent: the tray empties of them. */
  | { type: "sent"; localIds: string[] };

let counter = 0;

export function newUpload(file: { name: string; size: number; type: string }): Upload {
  counter += 1;
  return {
    localId: `upload-${Date.now().toString(36)}-${counter}`,
    name: file.name || "pasted file",
    size: file.size,
    type: file.type,
    progress: 0,
    status: "uploading",
  };
}

export function uploadsReducer(uploads: Upload[], action: UploadAction): Upload[] {
  const change = (localId: string, update: (upload: Upload) => Upload) =>
    uploads.map((upload) => (upload.localId === localId ? update(upload) : upload));
  switch (action.type) {
    case "added":
      return [...uploads, ...action.uploads];
    case "progress":
      return change(action.localId, (upload) =>
        upload.status === "uploading"
          ? { ...upload, progress: Math.max(upload.progress, action.progress) }
          : upload,
      );
    case "done":
      return change(action.localId, (upload) => ({
        ...upload,
        status: "done",
        progress: 1,
        attachment: action.attachment,
        error: undefined,
      }));
    case "failed":
      return change(action.localId, (upload) => ({ ...upload, status: "failed", error: action.error }));
    case "retried":
      return change(action.localId, (upload) => ({
        ...upload,
        status: "uploading",
        progress: 0,
        error: undefined,
      }));
    case "removed":
      return uploads.filter((upload) => upload.localId !== action.localId);
    case "sent":
      return uploads.filter((upload) => !action.localIds.includes(upload.localId));
  }
}

/** What a send may carry now: every upload is done (none still going, none failed unresolved). */
export function readyToSend(uploads: Upload[]): { ready: boolean; attachments: Attachment[] } {
  const attachments = uploads.flatMap((upload) => (upload.attachment ? [upload.attachment] : []));
  return { ready: uploads.every((upload) => upload.status === "done"), attachments };
}

/** "1.2 MB", as people read sizes. */
export function formatSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ["kB", "MB", "GB"];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
