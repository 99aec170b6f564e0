import { describe, expect, it } from "vitest";
import { createRoom, signUp } from "./helpers";
import { fetchFile, jpeg, upload } from "./media-fixtures";

describe("attachments: smoke", () => {
  it("a member uploads a JPEG and fetches it back", async () => {
    const owner = await signUp();
    const room = await createRoom(owner.accessToken);
    const bytes = jpeg(800, 600);
    const reply = await upload(owner.accessToken, room.id, "photo.jpg", bytes, { contentType: "image/jpeg" });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(reply.body).toMatchObject({
      contentType: "image/jpeg",
      width: 800,
      height: 600,
      size: bytes.length,
    });
    const file = await fetchFile(String(reply.body.url));
    expect(file.status).toBe(200);
    expect((await file.arrayBuffer()).byteLength).toBe(bytes.length);
    const thumb = await fetchFile(String(reply.body.thumbnailUrl));
    expect(thumb.status).toBe(200);
  });
});
