import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_MEDIA_ARGS, launchBrowser, screenshotPath } from "./browser.ts";
import { submitSignUp } from "./pages.ts";
import { call, startTestServer, type TestServer } from "./server.ts";

// Calls as people make them: each person in a browser context of their own, with Chromium's fake
// camera and microphone, against a real `wrangler dev`. Media flows between the pages over host
// candidates; what each page receives is read from its RTCPeerConnections' statistics.
//
// The people use a server with no ICE settings (an empty list: host candidates only), as a local
// setup has; the ICE servers are tested on a second one, set up with STUN and a TURN stand-in. (With
// those unreachable STUN and TURN addresses in every page, Chromium under load sometimes left a
// link gathering for ever without a single candidate.)

let server: TestServer;
let iceServer: TestServer;
let browser: Browser;
let turn: TurnStandIn;

beforeAll(async () => {
  turn = await startTurnStandIn();
  const settings = {
    STUN_URLS: "stun:127.0.0.1:3478",
    TURN_KEY_ID: "test-key-id",
    TURN_KEY_API_TOKEN: "test-key-api-token",
    TURN_API_BASE: `${turn.url}/v1`,
  };
  [server, iceServer, browser] = await Promise.all([
    startTestServer(),
    startTestServer(settings),
    launchBrowser(FAKE_MEDIA_ARGS),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
  await iceServer?.dispose();
  await turn?.close();
});

// ── A stand-in for the one endpoint of Cloudflare's TURN service that the Worker calls ──

type TurnStandIn = {
  url: string;
  requests: { path: string; auth: string; body: string }[];
  close: () => Promise<void>;
};

async function startTurnStandIn(): Promise<TurnStandIn> {
  const requests: TurnStandIn["requests"] = [];
  const read = async (request: IncomingMessage) => {
    let body = "";
    for await (const chunk of request) body += chunk;
    return body;
  };
  const http: Server = createServer(async (request, response) => {
    requests.push({
      path: request.url ?? "",
      auth: request.headers.authorization ?? "",
      body: await read(request),
    });
    response.writeHead(201, { "content-type": "application/json" });
    // The shape Cloudflare documents; nothing listens on these ports, so browsers fall back to host candidates.
    response.end(
      JSON.stringify({
        iceServers: [
          { urls: ["stun:127.0.0.1:3479", "stun:127.0.0.1:53"] },
          {
            urls: [
              "turn:127.0.0.1:3479?transport=udp",
              "turn:127.0.0.1:53?transport=udp",
              "turns:127.0.0.1:5349?transport=tcp",
            ],
            username: "minted-user",
            credential: "minted-credential",
          },
        ],
      }),
    );
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => http.close(() => resolve())),
  };
}

// ── People in browsers ──

const WIDE = { width: 1280, height: 800 };

/** Counts what a page's peer connections receive: every RTCPeerConnection the app makes is kept. */
const KEEP_PEER_CONNECTIONS = () => {
  const made: RTCPeerConnection[] = [];
  const Original = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Original {
    /**
     * Candidates: gathered here, and handed to addIceCandidate (failed: how many threw); offers
     * that crossed ours (rolledBack: applied over our own, which the app should never need to).
     */
    counts = { gathered: 0, added: 0, failed: 0, rolledBack: 0 };
    constructor(configuration?: RTCConfiguration) {
      super(configuration);
      made.push(this);
      this.addEventListener("icecandidate", () => {
        this.counts.gathered += 1;
      });
    }
    override setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
      if (description.type === "offer" && this.signalingState === "have-local-offer")
        this.counts.rolledBack += 1;
      return super.setRemoteDescription(description);
    }
    override addIceCandidate(candidate?: RTCIceCandidateInit | null): Promise<void> {
      this.counts.added += 1;
      return super.addIceCandidate(candidate ?? undefined).catch((error: unknown) => {
        this.counts.failed += 1;
        throw error;
      });
    }
  };
  Object.assign(window, { peerConnectionsForTests: made });
  // A small, slow picture: four pages encoding for three peers each share two busy cores here, and
  // what is tested is that media flows, not how sharp it is.
  const devices = navigator.mediaDevices;
  const open = devices.getUserMedia.bind(devices);
  devices.getUserMedia = (constraints) =>
    open(
      constraints?.video
        ? { ...constraints, video: { ...Object(constraints.video), width: 320, height: 180, frameRate: 10 } }
        : constraints,
    );
};

/** What each page said on its console (warnings and errors), to say why a wait failed. */
const consoles = new Map<Page, string[]>();

async function signUp(username: string, viewport = WIDE): Promise<{ page: Page; context: BrowserContext }> {
  const context = await browser.newContext({ viewport, permissions: ["camera", "microphone"] });
  await context.addInitScript(KEEP_PEER_CONNECTIONS);
  const page = await context.newPage();
  const said: string[] = [];
  consoles.set(page, said);
  page.on("console", (message) => {
    if (message.type() === "warning" || message.type() === "error")
      said.push(`${username}: ${message.text()}`);
  });
  await submitSignUp(page, server.url, username);
  // Signed in: the profile button is there on every screen size (a phone shows no welcome).
  await page.getByRole("button", { name: "Edit profile" }).waitFor();
  return { page, context };
}

type Link = {
  state: string;
  signaling: string;
  ice: string;
  gathering: string;
  transceivers: string;
  bytes: number;
};

/** Each open peer connection of the page: its state and the bytes it received so far. */
function links(page: Page): Promise<Link[]> {
  return page.evaluate(async () => {
    const made = (window as unknown as { peerConnectionsForTests: RTCPeerConnection[] })
      .peerConnectionsForTests;
    const open = made.filter((pc) => pc.connectionState !== "closed");
    return Promise.all(
      open.map(async (pc) => {
        let bytes = 0;
        (await pc.getStats()).forEach((report) => {
          if (report.type === "inbound-rtp") bytes += Number(report.bytesReceived ?? 0);
        });
        // The rest says why a link that receives nothing is stuck, when a wait fails.
        return {
          state: pc.connectionState,
          signaling: pc.signalingState,
          ice: pc.iceConnectionState,
          gathering: pc.iceGatheringState,
          transceivers: pc
            .getTransceivers()
            .map((each) => `${each.mid ?? "-"}:${each.direction}/${each.currentDirection ?? "-"}`)
            .join(" "),
          candidates: JSON.stringify(Reflect.get(pc, "counts")),
          ufrags: [pc.localDescription, pc.remoteDescription]
            .map((description) => /a=ice-ufrag:(\S+)/.exec(description?.sdp ?? "")?.[1] ?? "-")
            .join(">"),
          bytes,
        };
      }),
    );
  });
}

/** Waits until the page has `peers` open connections that each receive media, and keep receiving it. */
async function receivesFrom(page: Page, peers: number): Promise<void> {
  let first: Link[] = [];
  const said = () => [...consoles.values()].map((lines) => lines.join("\n")).join("\n----\n");
  await expect
    .poll(
      async () => {
        first = await links(page);
        return first.length === peers && first.every((link) => link.bytes > 10_000);
      },
      { timeout: 90_000 },
    )
    .toBe(true)
    .catch(async (error: unknown) => {
      const everyone = await Promise.all(
        [...consoles.keys()].filter((each) => !each.isClosed()).map((each) => links(each).catch(() => [])),
      );
      throw new Error(
        `${peers} connection(s) receiving media; got ${JSON.stringify(first)}\nall pages: ${JSON.stringify(everyone)}\n${said()}`,
        {
          cause: error,
        },
      );
    });
  await expect
    .poll(
      async () => {
        const later = await links(page);
        return (
          later.length === peers && later.every((link, index) => link.bytes > (first[index]?.bytes ?? 0))
        );
      },
      { timeout: 30_000, message: "the received bytes going on increasing" },
    )
    .toBe(true);
}

/** A page with video calls on a machine shared with other work answers slowly: polls wait long. */
const SLOW = { timeout: 45_000 };
const tiles = (page: Page) => page.locator(".call-view .call-tile");
const liveRoom = (page: Page) => page.locator('.room[data-connection="live"]').waitFor();

/** Joins a public room through the Browse dialog, as people find one. */
async function joinRoom(page: Page, name: string): Promise<void> {
  await page.getByRole("button", { name: "Browse", exact: true }).click();
  await page.getByRole("button", { name: `Join # ${name}` }).click();
  await liveRoom(page);
}

async function openDirectChat(page: Page, withUser: string): Promise<void> {
  await page.getByRole("button", { name: "New chat" }).click();
  await page.getByLabel("Search people by username").fill(withUser);
  await page.getByRole("button", { name: `Message ${withUser}` }).click();
  await liveRoom(page);
}

describe("ICE servers", () => {
  it("come from STUN_URLS and credentials minted by the TURN service, without port 53, once per user", async () => {
    const person = await call(iceServer, "POST", "/api/auth/register", {
      body: { username: "ice_user", password: "correct horse battery" },
    });
    const token = String(person.body?.accessToken);
    const before = turn.requests.length;
    const answer = await call(iceServer, "GET", "/api/calls/ice-servers", { token });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      iceServers: [
        { urls: ["stun:127.0.0.1:3478"] },
        { urls: ["stun:127.0.0.1:3479"] },
        {
          urls: ["turn:127.0.0.1:3479?transport=udp", "turns:127.0.0.1:5349?transport=tcp"],
          username: "minted-user",
          credential: "minted-credential",
        },
      ],
    });
    expect(turn.requests.slice(before)).toEqual([
      {
        path: "/v1/turn/keys/test-key-id/credentials/generate-ice-servers",
        auth: "Bearer test-key-api-token",
        body: JSON.stringify({ ttl: 86_400 }),
      },
    ]);
    // Asking again within their lifetime hands out the same credentials, without minting new ones.
    const again = await call(iceServer, "GET", "/api/calls/ice-servers", { token });
    expect(again.body).toEqual(answer.body);
    expect(turn.requests.length).toBe(before + 1);
  });
});

describe("calls in the browser", () => {
  it("lets Ann call Ben in a direct room: it rings, he answers, media flows both ways, mute shows, hang-up ends it", {
    timeout: 240_000,
  }, async () => {
    const ann = await signUp("ann");
    const ben = await signUp("ben");
    await openDirectChat(ann.page, "ben");

    await ann.page.getByRole("button", { name: "Start a video call" }).click();
    await ann.page.getByText("Calling ben…").waitFor();
    const ringing = ben.page.getByRole("alertdialog", { name: "Call from ann" });
    await ringing.waitFor();
    await ben.page.screenshot({ path: screenshotPath("call-ringing.png") });
    await ringing.getByRole("button", { name: "Answer with video" }).click();

    await tiles(ben.page).nth(1).waitFor();
    await expect.poll(() => tiles(ann.page).count(), SLOW).toBe(2);
    await receivesFrom(ann.page, 1);
    await receivesFrom(ben.page, 1);
    await ann.page.getByText("2 people in the call").waitFor();

    // Ann mutes: Ben sees it on her tile.
    await ann.page.getByRole("button", { name: "Mute" }).click();
    expect(await ann.page.getByRole("button", { name: "Mute" }).getAttribute("aria-pressed")).toBe("true");
    await ben.page.getByRole("figure", { name: /^ann, muted/ }).waitFor();
    await ann.page.screenshot({ path: screenshotPath("call-two-people.png") });

    // Ann hangs up: the call ends on both sides, and both timelines get the call message.
    await ann.page.getByRole("button", { name: "Leave call" }).click();
    await ben.page.getByText("ann hung up.").waitFor();
    for (const { page } of [ann, ben]) await page.locator(".call-event", { hasText: "Call ·" }).waitFor();
    await ben.page.locator(".call-view").waitFor({ state: "detached", timeout: 15_000 });
    await ben.page.screenshot({ path: screenshotPath("call-ended-message.png") });
    for (const person of [ann, ben]) await person.context.close();
  });

  it("connects every pair of a three-person call, and drops a fourth who closes their tab from every grid", {
    timeout: 420_000,
  }, async () => {
    const cat = await signUp("cat");
    const people = [cat, await signUp("dan"), await signUp("eve")];
    await cat.page.getByRole("button", { name: "New room" }).click();
    await cat.page.getByLabel("Name").fill("standup");
    await cat.page.getByRole("button", { name: "Create room" }).click();
    await liveRoom(cat.page);
    for (const person of people.slice(1)) await joinRoom(person.page, "standup");

    await cat.page.getByRole("button", { name: "Start a video call" }).click();
    await cat.page.getByText("You are the only one here.").waitFor();
    for (const person of people.slice(1))
      await person.page.getByRole("button", { name: /Join call/ }).click();
    for (const { page } of people) await receivesFrom(page, 2);
    for (const { page } of people) await expect.poll(() => tiles(page).count(), SLOW).toBe(3);
    await cat.page.screenshot({ path: screenshotPath("call-three-people.png") });

    // Fay joins from a phone-sized window, then closes her tab: everyone's grid drops her.
    const fay = await signUp("fay", { width: 390, height: 760 });
    await joinRoom(fay.page, "standup");
    await fay.page.getByRole("button", { name: /Join call/ }).click();
    for (const { page } of people) await expect.poll(() => tiles(page).count(), SLOW).toBe(4);
    await receivesFrom(fay.page, 3);
    await fay.page.screenshot({ path: screenshotPath("call-four-people-phone.png") });
    // The notice is a passing one (6 s): watched from before she goes, so a slow poll cannot miss it.
    const told = cat.page.getByText("fay left the call.").waitFor({ timeout: 30_000 });
    await fay.context.close();
    for (const { page } of people)
      await expect.poll(() => tiles(page).count(), { timeout: 15_000, message: "fay's tile gone" }).toBe(3);
    await told;

    // The call goes on while Cat looks at another room: it floats in a corner.
    await cat.page.getByRole("button", { name: "New room" }).click();
    await cat.page.getByLabel("Name").fill("elsewhere");
    await cat.page.getByRole("button", { name: "Create room" }).click();
    await liveRoom(cat.page);
    const floating = cat.page.getByRole("complementary", { name: "Your call" });
    await floating.waitFor();
    await receivesFrom(cat.page, 2);
    await cat.page.screenshot({ path: screenshotPath("call-floating.png") });
    await floating.getByRole("button", { name: /Back to the call/ }).click();
    await expect.poll(() => tiles(cat.page).count(), SLOW).toBe(3);
    for (const person of people) await person.context.close();
  });

  it("starts a call from a 375 px phone through the header's one call menu, and keeps the room's name whole", {
    timeout: 120_000,
  }, async () => {
    const gus = await signUp("gus", { width: 375, height: 740 });
    const hal = await signUp("hal");
    await gus.page.getByRole("button", { name: "New room" }).click();
    await gus.page.getByLabel("Name").fill("weekend-plans");
    await gus.page.getByRole("button", { name: "Create room" }).click();
    await liveRoom(gus.page);
    await joinRoom(hal.page, "weekend-plans");
    const title = gus.page.getByRole("heading", { level: 1, name: "# weekend-plans" });
    expect(await title.evaluate((heading) => heading.scrollWidth <= heading.clientWidth)).toBe(true);
    // The wide screen's two buttons are not there (not even to a screen reader): one menu is.
    expect(await gus.page.getByRole("button", { name: "Start a video call" }).count()).toBe(0);

    await gus.page.getByRole("button", { name: "Start a call" }).click();
    await gus.page.screenshot({ path: screenshotPath("call-phone-menu.png") });
    await gus.page.getByRole("menuitem", { name: "Voice call" }).click();
    await gus.page.getByText("You are the only one here.").waitFor();
    await hal.page.getByRole("button", { name: /Join call \(1\)/ }).click();
    await receivesFrom(hal.page, 1);
    await expect.poll(() => tiles(gus.page).count(), SLOW).toBe(2);
    await gus.page.screenshot({ path: screenshotPath("call-phone-two-people.png") });
    for (const person of [gus, hal]) await person.context.close();
  });
});
