import { env } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { ipIsPublic, nameIsLocal } from "../../worker/media/link-previews/addresses";
import { firstLink } from "../../worker/media/link-previews/previews";
import {
  api,
  closeAllSockets,
  errorOf,
  history,
  type Message,
  roomSocket,
  roomWithCast,
  send,
} from "./helpers";
import { fetchFile } from "./media-fixtures";

// Link previews (API.md "Attachments and link previews") and their SSRF rules. The Worker's
// outbound fetches reach the fake network of test/fake-network.ts (miniflare's outboundService):
// nothing leaves the machine, DNS over HTTPS answers from a table, public-looking names serve the
// test pages, and every request is recorded, so each refusal is proven by the request that was
// never made. (The end-to-end suite repeats the card and the redirect case against a real loopback
// page server, let through by LINK_PREVIEW_ALLOW_HOSTS.)

afterEach(closeAllSockets);

async function outboundLog(): Promise<string[]> {
  return (await fetch("http://outbound.test/log")).json<string[]>();
}

/** Waits until the preview of this URL was decided (its cache row is written, card or none). */
async function decided(url: string): Promise<string | null> {
  const read = () =>
    env.DB.prepare("SELECT preview FROM link_previews WHERE url = ?")
      .bind(url)
      .first<{ preview: string | null }>();
  await expect.poll(read, { timeout: 15_000, message: `the preview of ${url} was decided` }).not.toBeNull();
  return (await read())?.preview ?? null;
}

describe("link previews", () => {
  it("gives the first link of a new message a card, with its image served by us, as message_updated", async () => {
    const { room, owner, member } = await roomWithCast("private");
    const socket = await roomSocket(room.id, member.accessToken);
    await socket.next("welcome");
    const message = await send(
      owner.accessToken,
      room.id,
      "Look: https://pages.example/article. And https://pages.example/plain-title",
    );
    expect(message.linkPreview).toBeNull(); // the send never waits for the page
    const updated = await socket.next("message_updated", (frame) => frame.message.seq === message.seq);
    expect(updated.message.linkPreview).toMatchObject({
      url: "https://pages.example/article",
      title: "The harbour at dawn & dusk",
      description: "Boats, gulls and a very early coffee.",
      siteName: "Example Harbour",
    });
    const imageUrl = updated.message.linkPreview?.imageUrl ?? "";
    expect(imageUrl).toMatch(/^\/api\/files\/previews\/.+\?expires=\d+&signature=/);
    const image = await fetchFile(imageUrl);
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/png");
    const page = await history(member.accessToken, room.id);
    expect(page.messages.find((m) => m.seq === message.seq)?.linkPreview?.title).toBe(
      "The harbour at dawn & dusk",
    );
    expect(await outboundLog()).not.toContain("https://pages.example/plain-title");
  });

  it("lets the author remove the card for good; nobody else may", async () => {
    const { room, owner, member } = await roomWithCast("private");
    const socket = await roomSocket(room.id, member.accessToken);
    await socket.next("welcome");
    const message = await send(owner.accessToken, room.id, "https://pages.example/redirect-to-article");
    await socket.next("message_updated", (frame) => frame.message.linkPreview !== null);
    const refused = await api("DELETE", `/api/rooms/${room.id}/messages/${message.seq}/preview`, {
      token: member.accessToken,
    });
    expect(refused.status).toBe(403);
    const removed = await api<Message>("DELETE", `/api/rooms/${room.id}/messages/${message.seq}/preview`, {
      token: owner.accessToken,
    });
    expect(removed.status).toBe(200);
    expect(removed.body.linkPreview).toBeNull();
    await socket.next(
      "message_updated",
      (frame) => frame.message.seq === message.seq && frame.message.linkPreview === null,
    );
    const page = await history(owner.accessToken, room.id);
    expect(page.messages.find((m) => m.seq === message.seq)?.linkPreview).toBeNull();
    expect(
      errorOf(await api("DELETE", `/api/rooms/${room.id}/messages/999/preview`, { token: owner.accessToken }))
        .code,
    ).toBe("not_found");
  });

  it("fetches a URL once and serves the next message from the cache", async () => {
    const { room, owner } = await roomWithCast("private");
    const socket = await roomSocket(room.id, owner.accessToken);
    await socket.next("welcome");
    await send(owner.accessToken, room.id, "https://pages.example/article-2");
    await socket.next("message_updated", (frame) => frame.message.linkPreview !== null);
    const second = await send(owner.accessToken, room.id, "again https://pages.example/article-2");
    await socket.next("message_updated", (frame) => frame.message.seq === second.seq);
    expect((await outboundLog()).filter((url) => url === "https://pages.example/article-2")).toHaveLength(1);
  });
});

describe("link previews refuse to fetch what is not public", () => {
  const refused: [string, string, string | null][] = [
    ["loopback", "http://127.0.0.1/admin", "127.0.0.1"],
    ["loopback with a port", "http://127.0.0.1:8787/api/rooms", "127.0.0.1"],
    ["a private 10.x address", "http://10.0.0.1/", "10.0.0.1"],
    ["cloud metadata (link-local)", "http://169.254.169.254/latest/meta-data/", "169.254.169.254"],
    ["IPv6 loopback", "http://[::1]/", "[::1]"],
    ["IPv4-mapped IPv6 loopback", "http://[::ffff:127.0.0.1]/", "[::ffff:7f00:1]"],
    ["localhost by name", "http://localhost/", "localhost"],
    ["a name under .localhost", "http://app.localhost/", "app.localhost"],
    ["a DNS name for loopback", "https://loopback.example/", "loopback.example/"],
    ["a DNS name with one private address", "https://private.example/", "private.example/"],
    ["a DNS name for IPv6 loopback", "https://v6loopback.example/", "v6loopback.example/"],
    ["a redirect to loopback", "https://pages.example/redirect-to-loopback", "127.0.0.1"],
    ["a redirect loop (more than 3)", "https://pages.example/redirect-loop", null],
    ["a page whose title is past 512 KiB", "https://pages.example/big", null],
    ["a page slower than 5 s", "https://pages.example/slow", null],
  ];

  it.each(refused)("%s: no card, and no request to it", async (_what, url, neverAsked) => {
    const { room, owner } = await roomWithCast("private");
    const message = await send(owner.accessToken, room.id, `see ${url}`);
    const normalised = new URL(url).toString();
    expect(await decided(normalised)).toBeNull();
    const page = await history(owner.accessToken, room.id);
    expect(page.messages.find((m) => m.seq === message.seq)?.linkPreview).toBeNull();
    const log = await outboundLog();
    if (neverAsked) expect(log.filter((asked) => asked.includes(`//${neverAsked}`))).toEqual([]);
  });

  it("stops a redirect loop after 3 redirects", async () => {
    const log = (await outboundLog()).filter((url) => url === "https://pages.example/redirect-loop");
    expect(log.length).toBeLessThanOrEqual(4);
  });
});

describe("what counts as public", () => {
  it("classifies addresses", () => {
    const verdicts = Object.fromEntries(
      [
        "93.184.216.34",
        "8.8.8.8",
        "127.0.0.1",
        "127.1.2.3",
        "0.0.0.0",
        "10.255.0.1",
        "172.16.0.1",
        "172.31.255.255",
        "172.32.0.1",
        "192.168.1.1",
        "100.64.0.1",
        "169.254.169.254",
        "224.0.0.1",
        "255.255.255.255",
        "[::1]",
        "::",
        "fe80::1",
        "fc00::1",
        "fd12:3456::1",
        "::ffff:10.0.0.1",
        "::ffff:8.8.8.8",
        "64:ff9b::7f00:1",
        "2002:7f00:1::",
        "2606:4700:4700::1111",
        "2001:db8::1",
      ].map((address) => [address, ipIsPublic(address)]),
    );
    expect(verdicts).toEqual({
      "93.184.216.34": true,
      "8.8.8.8": true,
      "127.0.0.1": false,
      "127.1.2.3": false,
      "0.0.0.0": false,
      "10.255.0.1": false,
      "172.16.0.1": false,
      "172.31.255.255": false,
      "172.32.0.1": true,
      "192.168.1.1": false,
      "100.64.0.1": false,
      "169.254.169.254": false,
      "224.0.0.1": false,
      "255.255.255.255": false,
      "[::1]": false,
      "::": false,
      "fe80::1": false,
      "fc00::1": false,
      "fd12:3456::1": false,
      "::ffff:10.0.0.1": false,
      "::ffff:8.8.8.8": true,
      "64:ff9b::7f00:1": false,
      "2002:7f00:1::": false,
      "2606:4700:4700::1111": true,
      "2001:db8::1": false,
    });
    expect(ipIsPublic("example.com")).toBeNull();
    expect(["localhost", "intranet", "printer.local", "db.internal", "x.home.arpa"].map(nameIsLocal)).toEqual(
      [true, true, true, true, true],
    );
    expect(nameIsLocal("example.com")).toBe(false);
  });

  it("finds the first http(s) link of a message, without the sentence's punctuation", () => {
    expect(firstLink("see https://example.com/a?b=1.")).toBe("https://example.com/a?b=1");
    expect(firstLink("(http://example.com/x) and https://other.example")).toBe("http://example.com/x");
    expect(firstLink("ftp://example.com and no web link")).toBeNull();
  });
});
