import { env, runInDurableObject, SELF } from "cloudflare:test";
import { PhotonImage } from "@cf-wasm/photon";
import { afterEach, describe, expect, it } from "vitest";
import { exifOrientation } from "../../worker/media/scrub";
import { UrlSigner } from "../../worker/media/signed-urls";
import type { Attachment } from "../../worker/protocol/messages";
import type { Room } from "../../worker/room-object/room";
import {
  addMember,
  api,
  closeAllSockets,
  createRoom,
  errorOf,
  eventually,
  history,
  type Message,
  myRooms,
  roomSocket,
  roomStub,
  roomWithCast,
  signUp,
} from "./helpers";
import {
  contains,
  exifWithGps,
  fetchFile,
  jpeg,
  png,
  pngWithExif,
  SECRET_PLACE,
  upload,
  withApp1,
  xmpWithGps,
} from "./media-fixtures";

// Files in rooms (API.md "Attachments and link previews"), inside workerd with the local R2.

afterEach(closeAllSockets);

const asAttachment = (body: unknown) => body as Attachment;

function dimensions(bytes: Uint8Array): { width: number; height: number } {
  const image = PhotonImage.new_from_byteslice(bytes);
  try {
    return { width: image.get_width(), height: image.get_height() };
  } finally {
    image.free();
  }
}

async function bytesOf(url: string, headers: Record<string, string> = {}): Promise<Uint8Array> {
  const response = await fetchFile(url, headers);
  expect(response.status, `GET ${url}`).toBe(200);
  return new Uint8Array(await response.arrayBuffer());
}

/** The R2 key behind an attachment URL (/api/files/<key>?…). */
const keyOf = (url: string) =>
  decodeURIComponent(new URL(url, "https://x").pathname.slice("/api/files/".length));

async function uploaded(token: string, roomId: string, name: string, bytes: Uint8Array, contentType: string) {
  const reply = await upload(token, roomId, name, bytes, { contentType });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return asAttachment(reply.body);
}

async function sendFiles(token: string, roomId: string, attachmentIds: string[], body = "") {
  const reply = await api<Message>("POST", `/api/rooms/${roomId}/messages`, {
    token,
    body: { body, attachmentIds },
  });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body;
}

describe("uploading images", () => {
  it("knows an image's size at once and makes a thumbnail of at most 480 px", async () => {
    const owner = await signUp();
    const room = await createRoom(owner.accessToken);
    const bytes = jpeg(1200, 900);
    const file = await uploaded(owner.accessToken, room.id, "harbour.jpg", bytes, "image/jpeg");
    expect(file).toMatchObject({ name: "harbour.jpg", contentType: "image/jpeg", size: bytes.length });
    expect([file.width, file.height]).toEqual([1200, 900]);
    expect(file.url).toMatch(/^\/api\/files\/rooms\/.+\/file\?expires=\d+&signature=/);
    expect(dimensions(await bytesOf(file.thumbnailUrl ?? ""))).toEqual({ width: 480, height: 360 });
    expect(dimensions(await bytesOf(file.url))).toEqual({ width: 1200, height: 900 });
  });

  it("removes GPS and XMP from a JPEG but keeps its orientation, without changing its length", async () => {
    const owner = await signUp();
    const room = await createRoom(owner.accessToken);
    const photo = withApp1(withApp1(jpeg(800, 600), xmpWithGps()), exifWithGps(6));
    expect(contains(photo, SECRET_PLACE)).toBe(true);
    const file = await uploaded(owner.accessToken, room.id, "IMG_0001.JPG", photo, "image/jpeg");
    // Orientation 6 is a portrait photo stored sideways: shown 600 wide, 800 tall.
    expect([file.width, file.height]).toEqual([600, 800]);
    const served = await bytesOf(file.url);
    expect(served.length).toBe(photo.length);
    expect(contains(served, SECRET_PLACE)).toBe(false);
    expect(contains(served, "GPSLatitude")).toBe(false);
    // The Exif that is left holds the orientation and nothing else.
    const exifAt = served.findIndex(
      (byte, i) => byte === 0x45 && contains(served.subarray(i, i + 4), "Exif"),
    );
    expect(exifOrientation(served.subarray(exifAt))).toBe(6);
    expect(dimensions(served)).toEqual({ width: 800, height: 600 });
    const thumbnail = await bytesOf(file.thumbnailUrl ?? "");
    expect(dimensions(thumbnail)).toEqual({ width: 360, height: 480 });
    expect(contains(thumbnail, SECRET_PLACE)).toBe(false);
  });

  it("treats a PNG named .jpg as a PNG, without its eXIf", async () => {
    const owner = await signUp();
    const room = await createRoom(owner.accessToken);
    const picture = pngWithExif(png(300, 200));
    const file = await uploaded(owner.accessToken, room.id, "photo.jpg", picture, "image/jpeg");
    expect(file).toMatchObject({ contentType: "image/png", width: 300, height: 200 });
    const served = await bytesOf(file.url);
    expect(contains(served, SECRET_PLACE)).toBe(false);
    expect(dimensions(served)).toEqual({ width: 300, height: 200 });
  });

  it("does not take an HTML page called photo.jpg for an image, and serves it as a download", async () => {
    const owner = await signUp();
    const room = await createRoom(owner.accessToken);
    const page = new TextEncoder().encode("<html><script>alert(document.cookie)</script></html>");
    const file = await uploaded(owner.accessToken, room.id, "photo.jpg", page, "image/jpeg");
    expect(file).toMatchObject({
      contentType: "application/octet-stream",
      width: null,
      height: null,
      thumbnailUrl: null,
    });
    const response = await fetchFile(file.url);
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="photo.jpg"/);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  });
});

describe("serving files", () => {
  it("serves active content (HTML, SVG, JavaScript, XML) only as a sandboxed download", async () => {
    const owner = await signUp();
    const room = await createRoom(owner.accessToken);
    const kinds: [string, string][] = [
      ["page.html", "text/html"],
      ["logo.svg", "image/svg+xml"],
      ["app.js", "text/javascript"],
      ["feed.xml", "application/xml"],
    ];
    for (const [name, type] of kinds) {
      const file = await uploaded(
        owner.accessToken,
        room.id,
        name,
        new TextEncoder().encode("<x>hi</x>"),
        type,
      );
      expect(file.contentType).toBe(type);
      const response = await fetchFile(file.url);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-disposition"), name).toMatch(/^attachment;/);
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("content-security-policy")).toMatch(/sandbox/);
      expect(response.headers.get("content-security-policy")).toMatch(/default-src 'none'/);
    }
  });

  it("shows images, audio and video inline", async () => {
    const owner = await signUp();
    const room = await createRoom(owner.accessToken);
    const image = await uploaded(owner.accessToken, room.id, "a.png", png(10, 10), "image/png");
    const song = await uploaded(
      owner.accessToken,
      room.id,
      "song.mp3",
      new Uint8Array([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0, 1, 2]),
      "audio/mpeg",
    );
    for (const file of [image, song]) {
      const response = await fetchFile(file.url);
      expect(response.headers.get("content-disposition")).toMatch(/^inline;/);
      expect(response.headers.get("content-type")).toBe(file.contentType);
    }
  });

  it("answers ranges with 206, a matching ETag with 304, and keeps it private", async () => {
    const owner = await signUp();
    const room = await createRoom(owner.accessToken);
    const bytes = new Uint8Array(1000).map((_, i) => i % 251);
    const file = await uploaded(owner.accessToken, room.id, "data.bin", bytes, "application/octet-stream");
    const whole = await fetchFile(file.url);
    expect(whole.headers.get("cache-control")).toMatch(/^private/);
    expect(whole.headers.get("accept-ranges")).toBe("bytes");
    expect(whole.headers.get("content-length")).toBe("1000");
    const etag = whole.headers.get("etag") ?? "";
    expect(etag).not.toBe("");
    await whole.arrayBuffer();

    const part = await fetchFile(file.url, { range: "bytes=10-19" });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe("bytes 10-19/1000");
    expect([...new Uint8Array(await part.arrayBuffer())]).toEqual([...bytes.subarray(10, 20)]);
    const tail = await fetchFile(file.url, { range: "bytes=-5" });
    expect(tail.headers.get("content-range")).toBe("bytes 995-999/1000");
    expect((await tail.arrayBuffer()).byteLength).toBe(5);
    const outside = await fetchFile(file.url, { range: "bytes=5000-" });
    expect(outside.status).toBe(416);
    expect(outside.headers.get("content-range")).toBe("bytes */1000");
    await outside.arrayBuffer();

    const again = await fetchFile(file.url, { "if-none-match": etag });
    expect(again.status).toBe(304);
  });

  it("refuses unsigned, tampered and expired URLs with 403", async () => {
    const owner = await signUp();
    const room = await createRoom(owner.accessToken);
    const [one, two] = [
      await uploaded(owner.accessToken, room.id, "one.txt", new TextEncoder().encode("one"), "text/plain"),
      await uploaded(owner.accessToken, room.id, "two.txt", new TextEncoder().encode("two"), "text/plain"),
    ];
    const unsigned = one.url.split("?")[0] ?? "";
    const [, query] = one.url.split("?");
    const elsewhere = `${two.url.split("?")[0]}?${query}`; // one's signature on two's path
    const tampered = one.url.replace(
      /signature=(.)/,
      (_, first: string) => `signature=${first === "A" ? "B" : "A"}`,
    );
    // The same bytes spelled otherwise: the last character's spare low bits changed.
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const respelled = one.url.replace(/.$/, (last) => alphabet[alphabet.indexOf(last) ^ 1] ?? "A");
    const longer = one.url.replace(/expires=(\d+)/, (_, at: string) => `expires=${Number(at) + 3600}`);
    const expired = new UrlSigner(env.JWT_SECRET, 3600).sign(unsigned, Date.now() - 2 * 3600 * 1000);
    for (const url of [unsigned, elsewhere, tampered, respelled, longer, expired]) {
      const response = await fetchFile(url);
      expect(response.status, url).toBe(403);
      expect((await response.json<{ error: { code: string } }>()).error.code).toBe("forbidden");
    }
    expect((await fetchFile(one.url)).status).toBe(200);
  });
});

describe("upload limits", () => {
  it("requires a Content-Length (411), refuses more than MAX_UPLOAD_BYTES (413) and empty files (400)", async () => {
    const owner = await signUp();
    const room = await createRoom(owner.accessToken);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array([1, 2, 3]));
        controller.close();
      },
    });
    const unknownLength = await upload(owner.accessToken, room.id, "a.bin", stream);
    expect(unknownLength.status).toBe(411);
    expect(unknownLength.body.error?.code).toBe("length_required");
    const tooLarge = await upload(owner.accessToken, room.id, "big.bin", new Uint8Array(16), {
      headers: { "content-length": String(25 * 1024 * 1024 + 1) },
    });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error?.code).toBe("payload_too_large");
    const empty = await upload(owner.accessToken, room.id, "empty.txt", new Uint8Array(0));
    expect(empty.status).toBe(400);
  });

  it("refuses a body longer or shorter than its Content-Length, and stores nothing", async () => {
    const owner = await signUp();
    const room = await createRoom(owner.accessToken);
    const longer = await upload(owner.accessToken, room.id, "a.bin", new Uint8Array(100), {
      headers: { "content-length": "50" },
    });
    expect(longer.status).toBe(400);
    expect(longer.body.error?.message).toMatch(/longer than its Content-Length/);
    const shorter = await upload(owner.accessToken, room.id, "b.bin", new Uint8Array(50), {
      headers: { "content-length": "100" },
    });
    expect(shorter.status).toBe(400);
    const listed = await env.FILES.list({ prefix: `rooms/${room.id}/` });
    expect(listed.objects).toEqual([]);
  });

  it("keeps to the daily quota per person (429 with Retry-After), and a failed upload gives its share back", async () => {
    const owner = await signUp();
    const room = await createRoom(owner.accessToken);
    // The tests' quota is 3 MiB a day (vitest.config.ts).
    const MiB = 1024 * 1024;
    expect((await upload(owner.accessToken, room.id, "1.bin", new Uint8Array(2 * MiB))).status).toBe(201);
    const failed = await upload(owner.accessToken, room.id, "2.bin", new Uint8Array(10), {
      headers: { "content-length": String(MiB) },
    });
    expect(failed.status).toBe(400);
    expect((await upload(owner.accessToken, room.id, "3.bin", new Uint8Array(MiB / 2))).status).toBe(201);
    const over = await api("POST", `/api/rooms/${room.id}/attachments?name=4.bin`, {
      token: owner.accessToken,
      body: "x".repeat(MiB),
      headers: { "content-type": "application/octet-stream" },
    });
    expect(over.status).toBe(429);
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
    // Someone else has a quota of their own.
    const other = await signUp();
    const theirs = await createRoom(other.accessToken);
    expect((await upload(other.accessToken, theirs.id, "1.bin", new Uint8Array(MiB))).status).toBe(201);
  });
});

describe("who may upload and fetch", () => {
  it("refuses outsiders (404 private, 403 public), removed and muted members", async () => {
    const cast = await roomWithCast("private");
    const bytes = new TextEncoder().encode("hello");
    expect((await upload(cast.outsider.accessToken, cast.room.id, "a.txt", bytes)).status).toBe(404);
    const open = await createRoom(cast.owner.accessToken, { kind: "public" });
    expect((await upload(cast.outsider.accessToken, open.id, "a.txt", bytes)).status).toBe(403);

    await api("POST", `/api/rooms/${cast.room.id}/mutes`, {
      token: cast.owner.accessToken,
      body: { userId: cast.admin.user.id, minutes: 10 },
    });
    const muted = await upload(cast.admin.accessToken, cast.room.id, "a.txt", bytes);
    expect(muted.status).toBe(403);
    expect(muted.body.error?.message).toMatch(/muted/);

    const file = await uploaded(cast.member.accessToken, cast.room.id, "mine.txt", bytes, "text/plain");
    await sendFiles(cast.member.accessToken, cast.room.id, [file.id]);
    await api("DELETE", `/api/rooms/${cast.room.id}/members/${cast.member.user.id}`, {
      token: cast.owner.accessToken,
    });
    expect((await upload(cast.member.accessToken, cast.room.id, "b.txt", bytes)).status).toBe(404);
    // A removed member gets no fresh URLs (history is refused), and old ones end at their expiry.
    const page = await api("GET", `/api/rooms/${cast.room.id}/messages`, { token: cast.member.accessToken });
    expect(page.status).toBe(404);
    const stale = new UrlSigner(env.JWT_SECRET, 3600).sign(
      file.url.split("?")[0] ?? "",
      Date.now() - 3 * 3600 * 1000,
    );
    expect((await fetchFile(stale)).status).toBe(403);
  });
});

describe("sending files", () => {
  it("sends files with an empty body; history and the broadcast carry them with fresh URLs", async () => {
    const { room, owner, member } = await roomWithCast("private");
    const watcher = await roomSocket(room.id, member.accessToken);
    await watcher.next("welcome");
    const image = await uploaded(owner.accessToken, room.id, "a.png", png(40, 20), "image/png");
    const doc = await uploaded(
      owner.accessToken,
      room.id,
      "notes.pdf",
      new TextEncoder().encode("%PDF-1.4"),
      "application/pdf",
    );
    const message = await sendFiles(owner.accessToken, room.id, [image.id, doc.id]);
    expect(message.body).toBe("");
    expect(message.attachments.map((file) => file.name)).toEqual(["a.png", "notes.pdf"]);
    const live = await watcher.next("message", (frame) => frame.message.seq === message.seq);
    expect(live.message.attachments.map((file) => file.id)).toEqual([image.id, doc.id]);
    const page = await history(member.accessToken, room.id);
    const fetched = page.messages.find((m) => m.seq === message.seq);
    expect(fetched?.attachments[0]).toMatchObject({
      id: image.id,
      width: 40,
      height: 20,
      contentType: "image/png",
    });
    expect((await fetchFile(fetched?.attachments[1]?.url ?? "")).status).toBe(200);
    // The room list says what was sent, not "deleted" (its preview of an empty body).
    await eventually(
      async () => {
        const listed = (await myRooms(member.accessToken)).find((item) => item.id === room.id);
        expect(listed?.lastMessage).toMatchObject({ seq: message.seq, body: "📎 2 files" });
      },
      { roomId: room.id },
    );
    const single = await uploaded(owner.accessToken, room.id, "b.png", png(8, 8), "image/png");
    const next = await sendFiles(owner.accessToken, room.id, [single.id]);
    await eventually(
      async () => {
        const listed = (await myRooms(member.accessToken)).find((item) => item.id === room.id);
        expect(listed?.lastMessage).toMatchObject({ seq: next.seq, body: "📎 b.png" });
      },
      { roomId: room.id },
    );
  });

  it("sends files over the socket too", async () => {
    const { room, owner } = await roomWithCast("private");
    const file = await uploaded(
      owner.accessToken,
      room.id,
      "a.txt",
      new TextEncoder().encode("a"),
      "text/plain",
    );
    const socket = await roomSocket(room.id, owner.accessToken);
    await socket.next("welcome");
    socket.send({ type: "message", body: "", clientId: "f-1", attachmentIds: [file.id] });
    const sent = await socket.next("message", (frame) => frame.message.clientId === "f-1");
    expect(sent.message.attachments.map((a) => a.id)).toEqual([file.id]);
    socket.send({ type: "message", body: "", clientId: "f-2" });
    const refused = await socket.next("error", (frame) => frame.clientId === "f-2");
    expect(refused.code).toBe("invalid_request");
  });

  it("refuses someone else's upload, one already sent, an unknown one, and an empty message", async () => {
    const { room, owner, member } = await roomWithCast("private");
    const theirs = await uploaded(
      member.accessToken,
      room.id,
      "a.txt",
      new TextEncoder().encode("a"),
      "text/plain",
    );
    const mine = await uploaded(
      owner.accessToken,
      room.id,
      "b.txt",
      new TextEncoder().encode("b"),
      "text/plain",
    );
    await sendFiles(owner.accessToken, room.id, [mine.id], "here");
    for (const attachmentIds of [[theirs.id], [mine.id], ["no-such-upload"], []]) {
      const reply = await api("POST", `/api/rooms/${room.id}/messages`, {
        token: owner.accessToken,
        body: { body: "", attachmentIds },
      });
      expect(reply.status, JSON.stringify(attachmentIds)).toBe(400);
      expect(errorOf(reply).code).toBe("invalid_request");
    }
  });
});

describe("removing files", () => {
  it("removes an upload no message took within 24 h (the room's alarm)", async () => {
    const { room, owner } = await roomWithCast("private");
    const unsent = await uploaded(owner.accessToken, room.id, "draft.png", png(20, 20), "image/png");
    const sent = await uploaded(
      owner.accessToken,
      room.id,
      "sent.txt",
      new TextEncoder().encode("s"),
      "text/plain",
    );
    await sendFiles(owner.accessToken, room.id, [sent.id]);
    expect(await env.FILES.head(keyOf(unsent.url))).not.toBeNull();
    // The alarm as it rings a day and an hour from now.
    await runInDurableObject(roomStub(room.id), (object: Room) =>
      object["room"].parts.alarms.ring(Date.now() + 25 * 3600 * 1000),
    );
    expect(await env.FILES.head(keyOf(unsent.url))).toBeNull();
    expect(await env.FILES.head(keyOf(unsent.thumbnailUrl ?? ""))).toBeNull();
    expect(await env.FILES.head(keyOf(sent.url))).not.toBeNull();
    const late = await api("POST", `/api/rooms/${room.id}/messages`, {
      token: owner.accessToken,
      body: { body: "", attachmentIds: [unsent.id] },
    });
    expect(late.status).toBe(400);
  });

  it("schedules that alarm when a file is uploaded", async () => {
    const { room, owner } = await roomWithCast("private");
    await uploaded(owner.accessToken, room.id, "a.txt", new TextEncoder().encode("a"), "text/plain");
    const alarm = await runInDurableObject(roomStub(room.id), (_object: Room, state) =>
      state.storage.getAlarm(),
    );
    expect(alarm).not.toBeNull();
  });

  it("removes a deleted message's files", async () => {
    const { room, owner } = await roomWithCast("private");
    const file = await uploaded(owner.accessToken, room.id, "a.png", png(20, 20), "image/png");
    const message = await sendFiles(owner.accessToken, room.id, [file.id]);
    const deleted = await api<Message>("DELETE", `/api/rooms/${room.id}/messages/${message.seq}`, {
      token: owner.accessToken,
    });
    expect(deleted.body.attachments).toEqual([]);
    await expect.poll(() => env.FILES.head(keyOf(file.url)), { timeout: 10_000 }).toBeNull();
    expect(await env.FILES.head(keyOf(file.thumbnailUrl ?? ""))).toBeNull();
  });

  it("removes a deleted room's files", async () => {
    const { room, owner } = await roomWithCast("private");
    const sent = await uploaded(
      owner.accessToken,
      room.id,
      "a.txt",
      new TextEncoder().encode("a"),
      "text/plain",
    );
    await sendFiles(owner.accessToken, room.id, [sent.id]);
    await uploaded(owner.accessToken, room.id, "b.txt", new TextEncoder().encode("b"), "text/plain");
    expect((await env.FILES.list({ prefix: `rooms/${room.id}/` })).objects.length).toBe(2);
    expect((await api("DELETE", `/api/rooms/${room.id}`, { token: owner.accessToken })).status).toBe(204);
    expect((await env.FILES.list({ prefix: `rooms/${room.id}/` })).objects).toEqual([]);
  });
});

describe("avatars", () => {
  async function putAvatar(token: string, bytes: Uint8Array) {
    const reply = await SELF.fetch("https://hubbub.test/api/users/me/avatar", {
      method: "PUT",
      headers: { authorization: `Bearer ${token}`, "content-type": "image/jpeg" },
      body: bytes,
    });
    return { status: reply.status, body: (await reply.json()) as Record<string, unknown> };
  }

  it("sets a square avatar that profiles and members carry, and removes it", async () => {
    const { room, owner, member } = await roomWithCast("private");
    const watcher = await roomSocket(room.id, member.accessToken);
    await watcher.next("welcome");
    const set = await putAvatar(owner.accessToken, withApp1(jpeg(600, 400), exifWithGps(1)));
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const avatarUrl = String(set.body.avatarUrl);
    expect(avatarUrl).toMatch(/^\/api\/files\/avatars\//);
    const picture = await bytesOf(avatarUrl);
    expect(dimensions(picture)).toEqual({ width: 256, height: 256 });
    expect(contains(picture, SECRET_PLACE)).toBe(false);

    const me = await api("GET", "/api/users/me", { token: owner.accessToken });
    expect(me.body.avatarUrl).toBe(avatarUrl);
    const seen = await api("GET", `/api/users/${owner.user.id}`, { token: member.accessToken });
    expect(seen.body.avatarUrl).toBe(avatarUrl);
    const detail = await api<{ members: { userId: string; avatarUrl: string | null }[] }>(
      "GET",
      `/api/rooms/${room.id}`,
      { token: member.accessToken },
    );
    expect(detail.body.members.find((m) => m.userId === owner.user.id)?.avatarUrl).toBe(avatarUrl);
    expect(detail.body.members.find((m) => m.userId === member.user.id)?.avatarUrl).toBeNull();
    const frame = await watcher.next(
      "member",
      (f) => f.member.userId === owner.user.id && f.member.avatarUrl !== null,
    );
    expect(frame.member.avatarUrl).toBe(avatarUrl);

    const removed = await api("DELETE", "/api/users/me/avatar", { token: owner.accessToken });
    expect(removed.body.avatarUrl).toBeNull();
    await expect.poll(async () => (await fetchFile(avatarUrl)).status, { timeout: 10_000 }).toBe(404);
  });

  it("refuses what is not a picture (415), and needs a length (411)", async () => {
    const owner = await signUp();
    const notPicture = await putAvatar(owner.accessToken, new TextEncoder().encode("<svg></svg>"));
    expect(notPicture.status).toBe(415);
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new Uint8Array([1]));
        controller.close();
      },
    });
    const unknown = await SELF.fetch("https://hubbub.test/api/users/me/avatar", {
      method: "PUT",
      headers: { authorization: `Bearer ${owner.accessToken}` },
      body: stream,
    });
    expect(unknown.status).toBe(411);
  });
});

describe("the add-member answer", () => {
  it("carries avatarUrl", async () => {
    const [owner, other] = await Promise.all([signUp(), signUp()]);
    const room = await createRoom(owner.accessToken, { kind: "private" });
    const added = await addMember(owner.accessToken, room.id, other.user.id);
    expect(added.avatarUrl).toBeNull();
  });
});
