import { answer } from "../api/answers";
import { api, roomParam } from "../api/client";
import { currentSession } from "../api/session";
import type { CallParticipant, CallSignal, IceServer, RoomDetail, RoomFrame } from "../api/types";
import { type ConnectionState, type LiveSocket, openLiveSocket } from "../realtime/live-socket";
import { callChanges, isPolite, mediaProblem, othersInCall, ringingStoppedText } from "../state/call";
import { type Devices, openCamera, openMicrophone, openScreen, startMedia } from "./media";
import { type LinkState, PeerLink } from "./peer";

// One call we are in, from joining to hanging up. It has a socket of its own to the call's room,
// so the call goes on while the page shows another room, and it holds our camera, microphone and
// screen and a PeerLink (./peer.ts) to each other participant.
//
// The socket is our seat: if it drops, the room takes us out of the call. So before its access
// token expires (the room ends such sockets, 4001) a second socket is opened and joins, which
// moves our seat to it without anyone seeing us leave, and the old one is closed; the links,
// and so the media, go on untouched. After a real drop the reconnected socket joins again; if the
// room still had our seat nothing is torn down, and if not, every link is rebuilt.

export type Tile = {
  userId: string;
  audio: boolean;
  video: boolean;
  screen: boolean;
  /** What we see and hear of them (our own: the preview, without sound). */
  stream: MediaStream | null;
  speaking: boolean;
  /** How our link to them is doing; "self" for our own tile. */
  link: LinkState | "self";
};

export type CallView = {
  roomId: string;
  room: RoomDetail | null;
  /** joining: until the room has us in; ringing: a direct call nobody answered yet; ended: over. */
  status: "joining" | "ringing" | "live" | "ended";
  me: Tile;
  others: Tile[];
  /** A passing word on what happened (someone left, a connection dropped). */
  notice: string | null;
  /** What is wrong with our camera or microphone, in words. */
  problem: string | null;
  /** Why the call ended, once it did. */
  ended: string | null;
  /** How the call's own socket is doing (the media may flow while it reconnects). */
  connection: ConnectionState;
};

type Channel = { socket: LiveSocket; connectionId: string | null };

/** Before the socket's token expires, another one takes over our seat (the margin covers a slow refresh). */
const HANDOVER_BEFORE_EXPIRY_MS = 45_000;
const NOTICE_MS = 6000;
const MEASURE_MS = 500;

export class CallSession {
  private current: Channel;
  /** The socket that takes over our seat before the current one's token expires. */
  private next: Channel | null = null;
  /** The room has us in the call on the current socket. */
  private seated = false;
  private participants: CallParticipant[] = [];
  /** Everyone who has been in the call with us: a direct call that had both is no longer "ringing". */
  private readonly everyoneWas = new Set<string>();
  private readonly links = new Map<string, PeerLink>();
  private microphone: MediaStreamTrack | null = null;
  private camera: MediaStreamTrack | null = null;
  private screen: MediaStreamTrack | null = null;
  private audioOn = true;
  private preview: MediaStream | null = null;
  private readonly local = new MediaStream();
  private status: CallView["status"] = "joining";
  private notice: string | null = null;
  private problem: string | null = null;
  private ended: string | null = null;
  /** Why a call we made stopped ringing (declined, missed), from our own channel. */
  private ringingOutcome: string | null = null;
  /** The call ended while it still rang: the caller's channel may yet say why. */
  private endedRinging = false;
  private connection: ConnectionState = "connecting";
  private handoverTimer: ReturnType<typeof setTimeout> | undefined;
  private speaking = false;
  private refreshingRoom = false;
  private devices: Devices = {};
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly measuring: ReturnType<typeof setInterval>;
  private readonly listeners = new Set<() => void>();

  private constructor(
    readonly roomId: string,
    private readonly me: string,
    private room: RoomDetail | null,
    private readonly iceServers: IceServer[],
  ) {
    this.current = this.openChannel();
    this.measuring = setInterval(() => void this.measure(), MEASURE_MS);
    addEventListener("online", this.networkChanged);
    navigatorConnection()?.addEventListener("change", this.networkChanged);
  }

  /** Starts our camera (if `video`) and microphone, then joins the room's call. */
  static async start(roomId: string, me: string, video: boolean): Promise<CallSession> {
    const [room, ice, media] = await Promise.all([
      answer(api.rooms[":roomId"].$get({ param: roomParam(roomId) })).catch(() => null),
      answer(api.calls["ice-servers"].$get()).catch(() => ({ iceServers: [] })),
      startMedia(video),
    ]);
    const session = new CallSession(roomId, me, room, ice.iceServers);
    session.microphone = media.microphone;
    session.camera = media.camera;
    session.problem = media.problem;
    session.tracksChanged();
    return session;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  view(): CallView {
    const { audio, video, screen } = this.sending();
    return {
      roomId: this.roomId,
      room: this.room,
      status: this.status,
      me: {
        userId: this.me,
        audio,
        video,
        screen,
        stream: this.preview,
        speaking: this.speaking,
        link: "self",
      },
      others: othersInCall(this.participants, this.me).map((participant) => this.tileOf(participant)),
      notice: this.notice,
      problem: this.problem,
      ended: this.ended,
      connection: this.connection,
    };
  }

  // ── What the person does ──

  async toggleMicrophone(): Promise<void> {
    if (!this.microphone) {
      this.microphone = await this.opened(() => openMicrophone(this.devices.microphoneId), false);
      this.audioOn = this.microphone !== null;
      return this.tracksChanged();
    }
    this.audioOn = !this.audioOn;
    this.microphone.enabled = this.audioOn; // a muted microphone sends silence: nothing to negotiate
    this.sendUpdate();
    this.emit();
  }

  async toggleCamera(): Promise<void> {
    if (this.camera) {
      this.camera.stop(); // the camera's light goes off
      this.camera = null;
    } else {
      this.camera = await this.opened(() => openCamera(this.devices.cameraId), true);
    }
    this.tracksChanged();
  }

  async toggleScreen(): Promise<void> {
    if (this.screen) return this.stopScreen();
    let screen: MediaStreamTrack | null = null;
    try {
      screen = await openScreen();
    } catch (error) {
      this.say(`Your screen could not be shared: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!screen || this.status === "ended") return;
    screen.addEventListener("ended", () => this.stopScreen()); // "Stop sharing" in the browser's own bar
    this.screen = screen;
    this.tracksChanged();
  }

  /** Another microphone or camera: the new one replaces the old on every link. */
  async useDevices(devices: Devices): Promise<void> {
    const changedMicrophone = devices.microphoneId !== this.devices.microphoneId;
    const changedCamera = devices.cameraId !== this.devices.cameraId;
    this.devices = devices;
    if (changedMicrophone && this.microphone) {
      const microphone = await this.opened(() => openMicrophone(devices.microphoneId), false);
      if (microphone) {
        this.microphone.stop();
        microphone.enabled = this.audioOn;
        this.microphone = microphone;
      }
    }
    if (changedCamera && this.camera) {
      const camera = await this.opened(() => openCamera(devices.cameraId), true);
      if (camera) {
        this.camera.stop();
        this.camera = camera;
      }
    }
    this.tracksChanged();
  }

  currentDevices(): Devices {
    return {
      microphoneId: this.microphone?.getSettings().deviceId ?? this.devices.microphoneId,
      cameraId: this.camera?.getSettings().deviceId ?? this.devices.cameraId,
    };
  }

  hangUp(): void {
    this.current.socket.send({ type: "call_leave" });
    this.end("You left the call.");
  }

  /** The person we called did not pick up (from our own channel; it may come before or after the end). */
  ringingStopped(reason: string): void {
    const text = ringingStoppedText(reason, this.nameOf(othersInRoom(this.room, this.me)[0] ?? ""));
    if (!text) return;
    if (this.status === "ringing") this.ringingOutcome = text;
    else if (this.status === "ended" && this.endedRinging) this.ended = text;
    this.emit();
  }

  // ── The call's socket ──

  private openChannel(): Channel {
    let channel: Channel | undefined;
    const socket = openLiveSocket<RoomFrame>({
      path: () => `/rooms/${encodeURIComponent(this.roomId)}/ws`,
      onFrame: (frame) => {
        if (channel) this.frame(channel, frame);
      },
      onEnded: () => this.end("You are no longer a member of this room."),
      onState: (state) => {
        if (channel !== this.current) return;
        this.connection = state;
        this.emit();
      },
    });
    channel = { socket, connectionId: null };
    return channel;
  }

  private frame(channel: Channel, frame: RoomFrame): void {
    if (this.status === "ended" || (channel !== this.current && channel !== this.next)) return;
    switch (frame.type) {
      case "welcome":
        channel.connectionId = frame.connectionId;
        if (channel === this.current) this.rejoin(frame.call.participants);
        else this.join(channel);
        return;
      case "call_state":
        if (channel === this.current) this.callState(frame.participants);
        else this.handedOver(frame.participants);
        return;
      case "call_signal":
        this.linkFor(frame.fromUserId, frame.fromConnectionId).receive(frame.signal);
        return;
      case "error":
        if (channel === this.current) this.refused(frame.code, frame.message);
        return;
      default:
        return;
    }
  }

  /** A welcome on our seat's socket: the first one, or after a reconnect. */
  private rejoin(participants: CallParticipant[]): void {
    // If the room no longer had our seat, the others closed their ends of our links.
    if (!participants.some((participant) => participant.userId === this.me)) this.dropLinks();
    this.seated = false;
    this.join(this.current);
    this.planHandover();
  }

  private join(channel: Channel): void {
    const { audio, video } = this.sending();
    channel.socket.send({ type: "call_join", audio, video });
  }

  private callState(participants: CallParticipant[]): void {
    const mine = participants.find((participant) => participant.userId === this.me);
    if (mine?.connectionId === this.current.connectionId) {
      if (!this.seated && this.sending().screen) this.sendUpdate(); // a join cannot say "screen"
      this.seated = true;
      this.reconcile(participants);
    } else if (mine && mine.connectionId === this.next?.connectionId) {
      // our own handover: the new socket takes it from here
    } else if (!this.seated) {
      if (!mine) this.dropLinks(); // our join is not in yet, and the others no longer have us
    } else if (mine) {
      this.end("You joined this call on another device.");
    } else {
      const other = this.nameOf(othersInRoom(this.room, this.me)[0] ?? "");
      const direct = this.room?.kind === "direct";
      this.end(participants.length === 0 && direct ? `${other} hung up.` : "The call ended.");
    }
  }

  /** The new socket has our seat: it becomes the current one, and the old one goes. */
  private handedOver(participants: CallParticipant[]): void {
    const next = this.next;
    const mine = participants.find((participant) => participant.userId === this.me);
    if (!next || mine?.connectionId !== next.connectionId) return;
    const old = this.current;
    this.current = next;
    this.next = null;
    this.seated = true;
    old.socket.close();
    this.reconcile(participants);
    this.planHandover();
  }

  private planHandover(): void {
    const expiresAt = currentSession()?.expiresAt;
    clearTimeout(this.handoverTimer);
    if (!expiresAt) return;
    const wait = Math.max(5000, expiresAt - Date.now() - HANDOVER_BEFORE_EXPIRY_MS);
    this.handoverTimer = setTimeout(() => {
      if (this.next || this.status === "ended") return;
      this.next = this.openChannel();
      // A handover that does not happen in time is given up: the reconnect path takes over.
      this.later(20_000, () => {
        if (!this.next) return;
        this.next.socket.close();
        this.next = null;
      });
    }, wait);
  }

  private refused(code: string, message: string): void {
    if (code === "call_full" || code === "forbidden") this.end(message);
    // Anything else concerns one signal (a participant who just left, a burst): the links recover.
    else console.warn("the call's room refused a frame:", code, message);
  }

  // ── The mesh ──

  private reconcile(participants: CallParticipant[]): void {
    const { left, joined } = callChanges(this.participants, participants);
    for (const userId of left) this.dropLink(userId);
    for (const participant of othersInCall(participants, this.me))
      this.linkFor(participant.userId, participant.connectionId);
    this.participants = participants;
    if (participants.some((participant) => !this.isMember(participant.userId))) this.refreshRoom();
    const alone = othersInCall(participants, this.me).length === 0;
    this.status = alone && this.room?.kind === "direct" && this.everyoneWas.size < 2 ? "ringing" : "live";
    for (const userId of joined) this.everyoneWas.add(userId);
    if (left.length > 0 && this.seated) this.say(this.leftText(left));
    else if (joined.some((userId) => userId !== this.me)) this.notice = null;
    this.emit();
  }

  private leftText(left: string[]): string {
    const names = left.map((userId) => this.nameOf(userId)).join(", ");
    // In a direct room hanging up ends the call; someone who vanishes from it lost their connection.
    return this.room?.kind === "direct"
      ? `${names}'s connection was lost. Waiting for them to come back…`
      : `${names} left the call.`;
  }

  private linkFor(userId: string, connectionId: string): PeerLink {
    const known = this.links.get(userId);
    if (known) {
      known.connectionId = connectionId;
      return known;
    }
    const link: PeerLink = new PeerLink({
      userId,
      connectionId,
      iceServers: this.iceServers,
      polite: () => isPolite(this.current.connectionId ?? "", link.connectionId),
      offersFirst: !isPolite(this.current.connectionId ?? "", connectionId),
      local: () => ({ ...this.outgoing(), stream: this.local }),
      send: (signal: CallSignal) =>
        this.current.socket.send({ type: "call_signal", toConnectionId: link.connectionId, signal }),
      changed: () => this.emit(),
    });
    this.links.set(userId, link);
    return link;
  }

  private dropLink(userId: string): void {
    this.links.get(userId)?.close();
    this.links.delete(userId);
  }

  private dropLinks(): void {
    for (const userId of [...this.links.keys()]) this.dropLink(userId);
  }

  private readonly networkChanged = () => {
    for (const link of this.links.values()) link.restartIce();
  };

  private async measure(): Promise<void> {
    let speaking = false;
    for (const link of this.links.values()) {
      const ours = await link.measure().catch(() => false);
      speaking ||= ours && this.audioOn;
    }
    if (speaking !== this.speaking) {
      this.speaking = speaking;
      this.emit();
    }
  }

  // ── Our own media ──

  /** What we send: the microphone (if on), and the screen or else the camera. */
  private outgoing(): { audio: MediaStreamTrack | null; video: MediaStreamTrack | null } {
    return { audio: this.microphone, video: this.screen ?? this.camera };
  }

  private sending(): { audio: boolean; video: boolean; screen: boolean } {
    return {
      audio: this.microphone !== null && this.audioOn,
      video: this.camera !== null,
      screen: this.screen !== null,
    };
  }

  private tracksChanged(): void {
    const { audio, video } = this.outgoing();
    for (const track of this.local.getTracks()) this.local.removeTrack(track);
    for (const track of [audio, video]) if (track) this.local.addTrack(track);
    this.preview = video ? new MediaStream([video]) : null;
    for (const link of this.links.values()) void link.sendLocal();
    this.sendUpdate();
    this.emit();
  }

  private stopScreen(): void {
    this.screen?.stop();
    this.screen = null;
    this.tracksChanged();
  }

  /** Opens a device, turning a failure into the words of `problem`; null if it failed. */
  private async opened(
    open: () => Promise<MediaStreamTrack>,
    video: boolean,
  ): Promise<MediaStreamTrack | null> {
    try {
      const track = await open();
      this.problem = null;
      if (this.status !== "ended") return track;
      track.stop();
    } catch (error) {
      this.problem = mediaProblem(error, { audio: !video, video });
    }
    this.emit();
    return null;
  }

  private sendUpdate(): void {
    if (this.seated) this.current.socket.send({ type: "call_update", ...this.sending() });
  }

  // ── Around ──

  private tileOf(participant: CallParticipant): Tile {
    const link = this.links.get(participant.userId);
    const { userId, audio, video, screen } = participant;
    return {
      userId,
      audio,
      video,
      screen,
      stream: link?.stream ?? null,
      speaking: link?.speaking ?? false,
      link: link?.state ?? "connecting",
    };
  }

  private isMember(userId: string): boolean {
    return this.room?.members.some((member) => member.userId === userId) ?? false;
  }

  /** Someone who joined the room after the call started: their name comes with the room's members. */
  private refreshRoom(): void {
    if (this.refreshingRoom) return;
    this.refreshingRoom = true;
    answer(api.rooms[":roomId"].$get({ param: roomParam(this.roomId) }))
      .then((room) => {
        this.room = room;
        this.emit();
      })
      .catch((error: unknown) => console.warn("the call's room could not be read again", error))
      .finally(() => {
        this.refreshingRoom = false;
      });
  }

  private nameOf(userId: string): string {
    return this.room?.members.find((member) => member.userId === userId)?.displayName ?? "Someone";
  }

  private say(text: string): void {
    this.notice = text;
    this.later(NOTICE_MS, () => {
      if (this.notice === text) {
        this.notice = null;
        this.emit();
      }
    });
    this.emit();
  }

  private later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }

  private end(reason: string): void {
    if (this.status === "ended") return;
    this.endedRinging = this.status === "ringing";
    this.status = "ended";
    this.ended = (this.endedRinging && this.ringingOutcome) || reason;
    for (const timer of this.timers) clearTimeout(timer);
    clearTimeout(this.handoverTimer);
    clearInterval(this.measuring);
    removeEventListener("online", this.networkChanged);
    navigatorConnection()?.removeEventListener("change", this.networkChanged);
    this.dropLinks();
    for (const track of [this.microphone, this.camera, this.screen]) track?.stop();
    this.current.socket.close();
    this.next?.socket.close();
    this.participants = [];
    this.preview = null;
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

function othersInRoom(room: RoomDetail | null, me: string): string[] {
  return (room?.members ?? []).map((member) => member.userId).filter((userId) => userId !== me);
}

/** The Network Information API, where the browser has it (Chromium): it says when the network changes. */
function navigatorConnection(): EventTarget | undefined {
  const connection: unknown = Reflect.get(navigator, "connection");
  return connection instanceof EventTarget ? connection : undefined;
}
