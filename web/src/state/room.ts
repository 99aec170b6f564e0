import type {
  CallParticipant,
  Member,
  MemberChange,
  MemberInfo,
  Message,
  Receipt,
  Role,
  RoomDetail,
  RoomFrame,
} from "../api/types";
import { callPreview } from "../api/types";
import type { ConnectionState } from "../realtime/live-socket";
import { withReaction } from "./reactions";
import { namesList, type Sentence } from "./sentence";
import { type Threads, threadOlder, threadOpened, threadsReceive, threadsUpdate } from "./threads";
import {
  addPending,
  backToLatest,
  dropPending,
  emptyTimeline,
  jumpedTo,
  markPending,
  type PendingSend,
  pageNewer,
  prependPage,
  receive,
  type Timeline,
} from "./timeline";

// One open room as the client holds it: its details and members, the timeline, who has received
// and read what, who is online and typing, and how the socket is doing. Everything that happens to
// the room (a frame from its socket, an answer from the API, a send of ours) is an action, and
// roomReducer is the one place that applies it: pure, so the tests replay frames without a browser.

/** How long "… is typing" stays without a new `typing` frame (the server stops it after 5 s). */
export const TYPING_SHOWN_MS = 6000;

export type RoomState = {
  /** Whose screen this is: our own frames and sends are told apart by it. */
  me: string;
  /** The room and its members (kept live by `member` frames); null until loaded. */
  room: RoomDetail | null;
  timeline: Timeline;
  /** The threads opened in this visit, by their root's seq (state/threads.ts). */
  threads: Threads;
  /** Each member's delivery and read markers, by userId. */
  receipts: Map<string, Receipt>;
  /** Members with a socket open to this room. */
  online: Set<string>;
  /** Who is typing, with when their indicator fades (ms since the epoch). */
  typing: Map<string, number>;
  connection: ConnectionState;
  /** Why the room cannot be shown (deleted, left, never ours), or null while it can. */
  gone: string | null;
  /** The newest message from someone else, read out by screen readers. */
  announcement: string;
  /** Who is in the room's call (empty: no call), as the room's socket tells it. */
  call: CallParticipant[];
};

export type RoomAction =
  /** The room's details and newest page of history arrived: the room can be shown. */
  | { type: "opened"; room: RoomDetail; messages: Message[]; hasOlder: boolean }
  /** The details again (after a reconnect, members may have changed meanwhile). */
  | { type: "details"; room: RoomDetail }
  | { type: "older"; messages: Message[]; hasOlder: boolean }
  /** Messages paged after a resume that stopped early (resume_incomplete). */
  | { type: "newer"; messages: Message[] }
  /** A page after the gap that a jump left (timeline.ts gapAfter). */
  | { type: "after_gap"; messages: Message[]; hasMore: boolean }
  /** A page around a message we jumped to (a quote, a pin). */
  | { type: "around"; messages: Message[]; hasMoreBefore: boolean; hasMoreAfter: boolean }
  /** Leave a page we jumped to for the newest messages. */
  | { type: "latest" }
  /** A thread's root and its newest replies; then older replies. */
  | { type: "thread"; root: Message; messages: Message[]; hasOlder: boolean }
  | { type: "thread_older"; rootSeq: number; messages: Message[]; hasOlder: boolean }
  | { type: "frame"; frame: RoomFrame; now: number }
  | { type: "connection"; state: ConnectionState }
  /** The API's answer to an edit or a delete of ours. */
  | { type: "changed"; message: Message }
  | { type: "send"; send: PendingSend }
  | { type: "retry"; clientId: string }
  | { type: "failed"; clientId: string; error: string }
  | { type: "discard"; clientId: string }
  | { type: "typing_faded"; now: number }
  | { type: "gone"; reason: string };

export function initialRoomState(me: string): RoomState {
  return {
    me,
    room: null,
    timeline: emptyTimeline,
    threads: new Map(),
    receipts: new Map(),
    online: new Set(),
    typing: new Map(),
    connection: "connecting",
    gone: null,
    announcement: "",
    call: [],
  };
}

export function roomReducer(state: RoomState, action: RoomAction): RoomState {
  switch (action.type) {
    case "opened":
      return {
        ...state,
        room: action.room,
        timeline: { ...receive(state.timeline, action.messages, state.me), hasOlder: action.hasOlder },
      };
    case "details":
      return { ...state, room: action.room };
    case "older":
      return { ...state, timeline: prependPage(state.timeline, action.messages, action.hasOlder, state.me) };
    case "newer":
      return received(state, action.messages);
    case "after_gap":
      return { ...state, timeline: pageNewer(state.timeline, action.messages, action.hasMore, state.me) };
    case "around":
      return { ...state, timeline: jumpedTo(state.timeline, action, state.me) };
    case "latest":
      return { ...state, timeline: backToLatest(state.timeline) };
    case "thread":
      return {
        ...state,
        threads: threadOpened(state.threads, action.root, action.messages, action.hasOlder),
      };
    case "thread_older":
      return {
        ...state,
        threads: threadOlder(state.threads, action.rootSeq, action.messages, action.hasOlder),
      };
    case "frame":
      return applyFrame(state, action.frame, action.now);
    case "connection":
      return { ...state, connection: action.state };
    case "changed":
      return received(state, [action.message]);
    case "send":
      return { ...state, timeline: addPending(state.timeline, action.send) };
    case "retry":
      return { ...state, timeline: markPending(state.timeline, action.clientId, "sending") };
    case "failed":
      return { ...state, timeline: markPending(state.timeline, action.clientId, "failed", action.error) };
    case "discard":
      return { ...state, timeline: dropPending(state.timeline, action.clientId) };
    case "typing_faded":
      return fadeTyping(state, action.now);
    case "gone":
      return { ...state, gone: action.reason };
  }
}

/** A frame from the room's socket (API.md "Real time"). */
export function applyFrame(state: RoomState, frame: RoomFrame, now: number): RoomState {
  switch (frame.type) {
    case "welcome":
      // The room's view of who is here and what they have seen, as of this (re)connect.
      return {
        ...state,
        online: new Set(frame.online),
        receipts: new Map(frame.receipts.map((receipt) => [receipt.userId, receipt])),
        call: frame.call.participants,
      };
    case "message": {
      const { timeline, threads } = received(state, [frame.message]);
      const author = frame.message.userId;
      if (author === state.me) return { ...state, timeline, threads };
      // Someone who sends has stopped typing, whether or not their "stopped" arrives.
      const typing = new Map(state.typing);
      typing.delete(author);
      const { call, body } = frame.message;
      const announcement = `${authorName(state, author)}: ${call ? callPreview(call) : body}`;
      return { ...state, timeline, threads, typing, announcement };
    }
    case "message_updated":
      return received(state, [frame.message]);
    case "reaction": {
      const react = (message: Message) => withReaction(message, frame.userId, frame.emoji, frame.on);
      const messages = state.timeline.messages.map((message) =>
        message.seq === frame.seq ? react(message) : message,
      );
      const threads = threadsUpdate(state.threads, frame.seq, react);
      return { ...state, timeline: { ...state.timeline, messages }, threads };
    }
    case "typing": {
      if (frame.userId === state.me) return state;
      const typing = new Map(state.typing);
      if (frame.typing) typing.set(frame.userId, now + TYPING_SHOWN_MS);
      else typing.delete(frame.userId);
      return { ...state, typing };
    }
    case "presence": {
      const online = new Set(state.online);
      if (frame.online) online.add(frame.userId);
      else online.delete(frame.userId);
      return { ...state, online };
    }
    case "receipt": {
      const { userId, deliveredSeq, readSeq } = frame;
      return { ...state, receipts: new Map(state.receipts).set(userId, { userId, deliveredSeq, readSeq }) };
    }
    case "member":
      return state.room
        ? { ...state, room: changeMembers(state.room, frame.member, frame.change, state.me) }
        : state;
    case "error":
      // Only a refused send concerns the timeline; other refusals are the socket hook's to show.
      return frame.clientId
        ? { ...state, timeline: markPending(state.timeline, frame.clientId, "failed", frame.message) }
        : state;
    case "call_state":
      return { ...state, call: frame.participants };
    case "pong":
    case "resume_incomplete": // the socket hook pages the rest (room/catch-up.ts)
    case "call_signal": // only a call's own socket takes part (call/call-session.ts)
      return state;
    default: {
      // A newer server may send frames this client does not know yet: they change nothing. The
      // assignment makes the compiler check that every frame of RoomFrame is handled above.
      const unknown: never = frame;
      void unknown;
      return state;
    }
  }
}

/** Messages from the socket or the API land in the main timeline or in the threads we hold. */
function received(state: RoomState, messages: Message[]): RoomState {
  return {
    ...state,
    timeline: receive(state.timeline, messages, state.me),
    threads: threadsReceive(state.threads, messages),
  };
}

const ROLE_ORDER: Record<Role, number> = { owner: 0, admin: 1, member: 2 };

/** The server's order of a member list: owner, admins, members, each by username. */
function byRoleAndName(a: Member, b: Member): number {
  const [left, right] = [a.username.toLowerCase(), b.username.toLowerCase()];
  return ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || (left < right ? -1 : left > right ? 1 : 0);
}

/**
 * Someone joined or was added, changed role or name, left or was removed. A change of our own role
 * (made an admin, handed the room, given it) also changes what this screen offers us to do.
 */
export function changeMembers(
  room: RoomDetail,
  info: MemberInfo,
  change: MemberChange,
  me: string,
): RoomDetail {
  const others = room.members.filter((member) => member.userId !== info.userId);
  const role = info.userId !== me ? room.role : change === "left" ? null : info.role;
  if (change === "left") return { ...room, role, members: others };
  const known = room.members.find((member) => member.userId === info.userId);
  const member: Member = {
    userId: info.userId,
    username: info.username,
    displayName: info.displayName,
    role: info.role,
    online: known?.online ?? false,
    avatarUrl: info.avatarUrl,
  };
  return { ...room, role, members: [...others, member].sort(byRoleAndName) };
}

function fadeTyping(state: RoomState, now: number): RoomState {
  const typing = new Map([...state.typing].filter(([, until]) => until > now));
  return typing.size === state.typing.size ? state : { ...state, typing };
}

export function authorName(state: RoomState, userId: string): string {
  return state.room?.members.find((member) => member.userId === userId)?.displayName ?? "Someone";
}

/** "Alice is typing…", "Alice and Bob are typing…", "Several people are typing…", or nothing. */
export function typingLine(state: RoomState, now: number): Sentence {
  const names = [...state.typing]
    .filter(([, until]) => until > now)
    .map(([userId]) => authorName(state, userId));
  if (names.length === 0) return [];
  if (names.length === 1) return [...namesList(names), " is typing…"];
  if (names.length === 2) return [...namesList(names), " are typing…"];
  return ["Several people are typing…"];
}

/** Whether a member counts as online here: a socket in this room, or anywhere (the member list). */
export function isOnline(state: RoomState, member: Member): boolean {
  return state.online.has(member.userId) || member.online;
}
