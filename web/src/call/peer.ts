import type { CallSignal, IceServer } from "../api/types";

// One link of the mesh: our RTCPeerConnection to one other person in the call, negotiated with the
// "perfect negotiation" pattern of the WebRTC spec (w3c.github.io/webrtc-pc, §10.7). Either side
// may offer whenever it needs to (it joined, turned its camera on, restarts ICE); when both offer
// at once, the polite side yields (rolls back and answers) and the impolite side ignores the
// offer it did not expect, so glare never breaks the call. Which side is polite follows from the
// two connection ids (state/call.ts), so both agree without asking.
//
// A new link is one certain glare: both sides make theirs from the same call_state and would offer
// at once, and the polite side's implicit rollback of an offer it just set is where Chromium, under
// load, sometimes left the answer's ICE gathering for ever without a single candidate (seen in the
// browser tests: "gathering", nothing gathered, the other side's candidates all added). So only the
// impolite side makes a pair's first offer; the polite side sends nothing until that offer has come
// (or, should it never come, until the watchdog gives up waiting and offers itself). Later offers
// (camera on, screen, ICE restarts) are rare and may still cross: perfect negotiation handles those.
//
// A link belongs to a person, not to a connection: when their seat moves to a new socket (a token
// refresh, a reconnect) the link stays and only the address of their signals changes.

export type LinkState = "connecting" | "connected" | "reconnecting" | "lost";

/** Higher than this (0..1, from the receiver's statistics) counts as speaking. */
const SPEAKING_LEVEL = 0.03;
/** A path that stayed "disconnected" this long is restarted rather than waited for. */
const DISCONNECTED_RESTART_MS = 3000;
/**
 * A link that has not connected this long after it began or last restarted is started again: a
 * signal can be lost (sent while our socket reconnected, or to a link the other side just replaced),
 * and a link waiting for it would wait for ever.
 */
const CONNECT_WATCHDOG_MS = 10_000;
/** Candidates kept while no description fits them (a few per network interface and round). */
const MAX_PENDING_CANDIDATES = 100;
/** After this many restarts that did not bring it back, the link counts as lost. */
const RESTARTS_BEFORE_LOST = 3;

/** What we send: a microphone and a picture (camera or screen), each possibly none. */
export type LocalTracks = {
  audio: MediaStreamTrack | null;
  video: MediaStreamTrack | null;
  stream: MediaStream;
};

export type LinkOptions = {
  userId: string;
  connectionId: string;
  iceServers: IceServer[];
  polite: () => boolean;
  /** Whether we make the pair's first offer (the impolite side): see above. */
  offersFirst: boolean;
  local: () => LocalTracks;
  send: (signal: CallSignal) => void;
  /** Something the view shows changed: state, tracks. */
  changed: () => void;
};

export class PeerLink {
  readonly userId: string;
  /** Their current connection: where our signals go. */
  connectionId: string;
  readonly pc: RTCPeerConnection;
  /** What they send us, gathered from their tracks as they arrive. */
  readonly stream = new MediaStream();
  state: LinkState = "connecting";
  speaking = false;
  private makingOffer = false;
  private ignoreOffer = false;
  private settingRemoteAnswer = false;
  private restarts = 0;
  /** Polite and the pair's first offer has not come yet: we add nothing (which would make us offer). */
  private waitingForOffer: boolean;
  private disconnectedTimer: ReturnType<typeof setTimeout> | undefined;
  private watchdog: ReturnType<typeof setTimeout> | undefined;
  /** Signals are applied one after the other, in the order they came. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: LinkOptions) {
    this.userId = options.userId;
    this.connectionId = options.connectionId;
    this.waitingForOffer = !options.offersFirst;
    const iceServers = options.iceServers.map(({ urls, username, credential }) => ({
      urls,
      username,
      credential,
    }));
    this.pc = new RTCPeerConnection({ iceServers });
    this.pc.onnegotiationneeded = () => void this.offer();
    this.pc.onicecandidate = ({ candidate }) => {
      // The end of candidates needs no telling: Chrome and Firefox connect without it.
      if (!candidate) return;
      const { sdpMid, sdpMLineIndex, usernameFragment } = candidate;
      this.options.send({
        candidate: { candidate: candidate.candidate, sdpMid, sdpMLineIndex, usernameFragment },
      });
    };
    this.pc.ontrack = ({ track }) => {
      for (const old of this.stream.getTracks().filter((each) => each.kind === track.kind))
        this.stream.removeTrack(old);
      this.stream.addTrack(track);
      this.options.changed();
    };
    this.pc.onconnectionstatechange = () => this.followConnection();
    void this.sendLocal();
    this.armWatchdog();
  }

  /** A signal from them (a description or a candidate). */
  receive(signal: CallSignal): void {
    this.queue = this.queue
      .then(() => ("sdp" in signal ? this.description(signal.sdp) : this.candidate(signal.candidate)))
      .catch((error: unknown) => console.warn("call signal from", this.userId, "not applied", error));
  }

  /** Sends what we have now; negotiates only where a new media line is needed. */
  async sendLocal(): Promise<void> {
    if (this.waitingForOffer) return;
    const { audio, video, stream } = this.options.local();
    await this.setTrack("audio", audio, stream);
    await this.setTrack("video", video, stream);
  }

  private async setTrack(
    kind: "audio" | "video",
    track: MediaStreamTrack | null,
    stream: MediaStream,
  ): Promise<void> {
    const transceiver = this.pc
      .getTransceivers()
      .find((each) => each.currentDirection !== "stopped" && each.receiver.track.kind === kind);
    if (!transceiver) {
      // Nothing to send still offers to receive, so a link whose offering side has no camera or
      // microphone is negotiated all the same.
      if (track) this.pc.addTrack(track, stream);
      else this.pc.addTransceiver(kind, { direction: "recvonly" });
      return;
    }
    if (track && !transceiver.direction.includes("send")) transceiver.direction = "sendrecv";
    if (transceiver.sender.track !== track) await transceiver.sender.replaceTrack(track);
  }

  /** The network changed (or the path failed): find a new path without a new call. */
  restartIce(): void {
    if (this.pc.connectionState === "closed") return;
    this.pc.restartIce();
  }

  /**
   * Whether they are speaking, from the level of what we receive; returns whether we are, from the
   * level of what we send (both from the connection's statistics, so no audio graph is needed).
   */
  async measure(): Promise<boolean> {
    let theirs = 0;
    let ours = 0;
    for (const report of (await this.pc.getStats()).values()) {
      const level = Number(report.audioLevel ?? 0);
      if (report.type === "inbound-rtp" && report.kind === "audio") theirs = Math.max(theirs, level);
      if (report.type === "media-source" && report.kind === "audio") ours = Math.max(ours, level);
    }
    const speaking = theirs > SPEAKING_LEVEL;
    if (speaking !== this.speaking) {
      this.speaking = speaking;
      this.options.changed();
    }
    return ours > SPEAKING_LEVEL;
  }

  close(): void {
    clearTimeout(this.disconnectedTimer);
    clearTimeout(this.watchdog);
    this.pc.close();
  }

  private async offer(): Promise<void> {
    try {
      this.makingOffer = true;
      await this.pc.setLocalDescription();
      this.sendDescription();
    } catch (error) {
      console.warn("offer to", this.userId, "failed", error);
    } finally {
      this.makingOffer = false;
    }
  }

  private async description(description: RTCSessionDescriptionInit): Promise<void> {
    // An offer collides with ours unless we are stable (or just applying their answer).
    const ready = !this.makingOffer && (this.pc.signalingState === "stable" || this.settingRemoteAnswer);
    const collision = description.type === "offer" && !ready;
    this.ignoreOffer = !this.options.polite() && collision;
    if (this.ignoreOffer) return;
    this.settingRemoteAnswer = description.type === "answer";
    await this.pc.setRemoteDescription(description); // the polite side rolls back its own offer here
    this.settingRemoteAnswer = false;
    await this.applyPending();
    if (description.type !== "offer") return;
    this.waitingForOffer = false;
    await this.sendLocal(); // their offer may carry media lines we can now send on
    await this.pc.setLocalDescription();
    this.sendDescription();
  }

  /**
   * Candidates that came before a description they could belong to: kept for the next one. When
   * offers cross, the polite side's candidates for the offer it rolls back are often all it sends
   * (the browser keeps the same ICE credentials for its answer and gathers nothing new), and they
   * reach the impolite side while it has no remote description yet: dropping them left links that
   * were negotiated but never connected.
   */
  private pending: RTCIceCandidateInit[] = [];

  private async candidate(candidate: RTCIceCandidateInit): Promise<void> {
    if (!this.pc.remoteDescription || this.ignoreOffer) {
      if (this.pending.length < MAX_PENDING_CANDIDATES) this.pending.push(candidate);
      return;
    }
    await this.pc.addIceCandidate(candidate);
  }

  /** After a remote description: the candidates kept for it; those of another round do not fit and go. */
  private async applyPending(): Promise<void> {
    const pending = this.pending;
    this.pending = [];
    for (const candidate of pending) await this.pc.addIceCandidate(candidate).catch(() => undefined);
  }

  private sendDescription(): void {
    const local = this.pc.localDescription;
    if (local && local.type !== "rollback") this.options.send({ sdp: { type: local.type, sdp: local.sdp } });
  }

  private armWatchdog(): void {
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => this.unstick(), CONNECT_WATCHDOG_MS);
  }

  /** Not connected in time: offer ourselves if theirs never came, say ours again if unanswered, else restart ICE. */
  private unstick(): void {
    const { connectionState, signalingState } = this.pc;
    if (connectionState === "connected" || connectionState === "closed") return;
    if (this.restarts >= RESTARTS_BEFORE_LOST) {
      this.state = "lost";
      this.options.changed();
      return;
    }
    this.restarts += 1;
    if (this.waitingForOffer) {
      this.waitingForOffer = false;
      void this.sendLocal(); // their first offer never came: we offer instead
    } else if (signalingState === "have-local-offer") this.sendDescription();
    else this.restartIce();
    this.armWatchdog();
  }

  private followConnection(): void {
    clearTimeout(this.disconnectedTimer);
    const state = this.pc.connectionState;
    if (state === "connected") {
      this.restarts = 0;
      this.state = "connected";
      clearTimeout(this.watchdog);
    } else if (state === "disconnected" || state === "failed") {
      this.state = this.restarts >= RESTARTS_BEFORE_LOST ? "lost" : "reconnecting";
      const wait = state === "failed" ? 0 : DISCONNECTED_RESTART_MS;
      this.disconnectedTimer = setTimeout(() => {
        this.restarts += 1;
        this.restartIce();
        this.armWatchdog(); // a restart whose signals are lost is tried again
      }, wait);
    }
    this.options.changed();
  }
}
