import { describe, expect, it } from "vitest";
import type { Attachment } from "../../web/src/api/types";
import { isAttachment } from "../../web/src/api/uploads";
import { displaySize } from "../../web/src/components/MessageMedia";
import { formatSize, newUpload, readyToSend, type Upload, uploadsReducer } from "../../web/src/state/uploads";

// The composer's files: progress, failure, retry, removal, and when a message may be sent.

const attachment = (id: string): Attachment => ({
  id,
  name: `${id}.png`,
  contentType: "image/png",
  size: 10,
  width: 4,
  height: 3,
  url: `/api/files/rooms/r/${id}/file?expires=1&signature=s`,
  thumbnailUrl: null,
});

function tray(...names: string[]): Upload[] {
  const added = names.map((name) => newUpload({ name, size: 1000, type: "image/png" }));
  return uploadsReducer([], { type: "added", uploads: added });
}

describe("the files of the composer", () => {
  it("moves an upload's progress forward only, then holds its attachment", () => {
    let uploads = tray("a.png");
    const localId = uploads[0]?.localId ?? "";
    uploads = uploadsReducer(uploads, { type: "progress", localId, progress: 0.5 });
    uploads = uploadsReducer(uploads, { type: "progress", localId, progress: 0.3 });
    expect(uploads[0]?.progress).toBe(0.5);
    uploads = uploadsReducer(uploads, { type: "done", localId, attachment: attachment("x") });
    expect(uploads[0]).toMatchObject({ status: "done", progress: 1 });
    expect(readyToSend(uploads)).toEqual({ ready: true, attachments: [attachment("x")] });
  });

  it("keeps a message from going while a file uploads or has failed, until it is retried or removed", () => {
    let uploads = tray("a.png", "b.png");
    const [a, b] = uploads.map((upload) => upload.localId);
    uploads = uploadsReducer(uploads, { type: "done", localId: a ?? "", attachment: attachment("a") });
    expect(readyToSend(uploads).ready).toBe(false);
    uploads = uploadsReducer(uploads, { type: "failed", localId: b ?? "", error: "The connection failed." });
    expect(uploads[1]).toMatchObject({ status: "failed", error: "The connection failed." });
    expect(readyToSend(uploads).ready).toBe(false);
    uploads = uploadsReducer(uploads, { type: "retried", localId: b ?? "" });
    expect(uploads[1]).toMatchObject({ status: "uploading", progress: 0, error: undefined });
    uploads = uploadsReducer(uploads, { type: "removed", localId: b ?? "" });
    expect(readyToSend(uploads)).toEqual({ ready: true, attachments: [attachment("a")] });
    expect(uploadsReducer(uploads, { type: "sent", localIds: [a ?? ""] })).toEqual([]);
  });

  it("checks an upload's answer field by field", () => {
    expect(isAttachment(attachment("a"))).toBe(true);
    expect(isAttachment({ ...attachment("a"), size: "10" })).toBe(false);
    expect(isAttachment({ error: { code: "forbidden", message: "no" } })).toBe(false);
    expect(isAttachment(null)).toBe(false);
  });

  it("says sizes as people read them, and fits a picture in its box without enlarging it", () => {
    expect([formatSize(512), formatSize(1500), formatSize(2_500_000), formatSize(26_214_400)]).toEqual([
      "512 B",
      "1.5 kB",
      "2.5 MB",
      "26 MB",
    ]);
    expect(displaySize(1200, 900)).toEqual({ width: 360, height: 270 });
    expect(displaySize(600, 800)).toEqual({ width: 270, height: 360 });
    expect(displaySize(100, 50)).toEqual({ width: 100, height: 50 });
  });
});
