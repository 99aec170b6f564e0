import { ApiError } from "./answers";
import { accessToken } from "./session";
import type { Attachment } from "./types";

// Uploading a file to a room. fetch() cannot report upload progress, so this one call uses
// XMLHttpRequest: its upload.onprogress drives the progress bar, abort() is the cancel button.
// The answer is checked field by field (isAttachment), never cast.

export type UploadHandle = { done: Promise<Attachment>; cancel: () => void };

const fields: [keyof Attachment, "string" | "number", boolean][] = [
  ["id", "string", false],
  ["name", "string", false],
  ["contentType", "string", false],
  ["size", "number", false],
  ["width", "number", true],
  ["height", "number", true],
  ["url", "string", false],
  ["thumbnailUrl", "string", true],
];

export function isAttachment(value: unknown): value is Attachment {
  if (typeof value !== "object" || value === null) return false;
  const record: Record<string, unknown> = { ...value };
  return fields.every(
    ([field, type, nullable]) => typeof record[field] === type || (nullable && record[field] === null),
  );
}

function refusalOf(xhr: XMLHttpRequest): ApiError {
  let message = `The upload failed (${xhr.status || "no answer"}).`;
  let code = "upload_failed";
  try {
    const body: unknown = JSON.parse(xhr.responseText);
    if (typeof body === "object" && body !== null && "error" in body) {
      const error: unknown = body.error;
      if (
        typeof error === "object" &&
        error !== null &&
        "message" in error &&
        typeof error.message === "string"
      )
        message = error.message;
      if (typeof error === "object" && error !== null && "code" in error && typeof error.code === "string")
        code = error.code;
    }
  } catch {
    // Not JSON (a proxy's page): the status says enough.
  }
  return new ApiError(xhr.status, code, message);
}

export function uploadFile(roomId: string, file: File, onProgress: (fraction: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = (async () => {
    const token = await accessToken();
    return new Promise<Attachment>((resolve, reject) => {
      const name = encodeURIComponent(file.name || "pasted file");
      xhr.open("POST", `/api/rooms/${encodeURIComponent(roomId)}/attachments?name=${name}`);
      xhr.setRequestHeader("authorization", `Bearer ${token}`);
      xhr.setRequestHeader("content-type", file.type || "application/octet-stream");
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
      };
      xhr.onload = () => {
        if (xhr.status !== 201) return reject(refusalOf(xhr));
        const body: unknown = JSON.parse(xhr.responseText);
        if (isAttachment(body)) resolve(body);
        else reject(new ApiError(xhr.status, "bad_answer", "The server's answer was not an attachment."));
      };
      xhr.onerror = () => reject(new ApiError(0, "network", "The connection failed during the upload."));
      xhr.onabort = () => reject(new ApiError(0, "cancelled", "Cancelled."));
      xhr.send(file);
    });
  })();
  return { done, cancel: () => xhr.abort() };
}
