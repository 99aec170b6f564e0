import { answer, done } from "./answers";
import { api, roomParam } from "./client";
import type { Message, Role } from "./types";

// A room's moderation over the API (API.md "Moderation and accounts"), for its owners and admins,
// and reporting a message, for any member. Each call answers its typed body or throws an ApiError
// with the server's refusal, which the caller shows.

const member = (roomId: string, userId: string) => ({ ...roomParam(roomId), userId });

/** Makes or unmakes an admin (the owner); `owner` hands the room over, and we become an admin. */
export function changeRole(roomId: string, userId: string, role: Role) {
  return answer(
    api.rooms[":roomId"].members[":userId"].$patch({ param: member(roomId, userId), json: { role } }),
  );
}

export function removeMember(roomId: string, userId: string) {
  return done(api.rooms[":roomId"].members[":userId"].$delete({ param: member(roomId, userId) }));
}

/** Bans for `minutes`, or until lifted when null; an empty reason is left out. */
export function ban(roomId: string, userId: string, reason: string, minutes: number | null) {
  const json = { userId, ...(reason ? { reason } : {}), ...(minutes === null ? {} : { minutes }) };
  return done(api.rooms[":roomId"].bans.$post({ param: roomParam(roomId), json }));
}

export function liftBan(roomId: string, userId: string) {
  return done(api.rooms[":roomId"].bans[":userId"].$delete({ param: member(roomId, userId) }));
}

export function mute(roomId: string, userId: string, minutes: number) {
  return done(api.rooms[":roomId"].mutes.$post({ param: roomParam(roomId), json: { userId, minutes } }));
}

export function endMute(roomId: string, userId: string) {
  return done(api.rooms[":roomId"].mutes[":userId"].$delete({ param: member(roomId, userId) }));
}

export async function bans(roomId: string) {
  return (await answer(api.rooms[":roomId"].bans.$get({ param: roomParam(roomId) }))).bans;
}

export async function mutes(roomId: string) {
  return (await answer(api.rooms[":roomId"].mutes.$get({ param: roomParam(roomId) }))).mutes;
}

export async function reports(roomId: string) {
  return (await answer(api.rooms[":roomId"].reports.$get({ param: roomParam(roomId) }))).reports;
}

/** A page of the audit log, newest first; `before` is the id of the oldest entry already shown. */
export function auditPage(roomId: string, before: number | undefined, limit: number) {
  const query = before === undefined ? { limit } : { before, limit };
  return answer(api.rooms[":roomId"].audit.$get({ param: roomParam(roomId), query }));
}

export function reportMessage(roomId: string, seq: number, reason: string) {
  return done(
    api.rooms[":roomId"].messages[":seq"].report.$post({
      param: { ...roomParam(roomId), seq },
      json: { reason },
    }),
  );
}

/**
 * One message by its seq, for a report of a message the timeline has not loaded: the page that
 * ends at it. (Jumping there is `GET …/messages?around=`, which is coming; this only shows it.)
 */
export async function messageAt(roomId: string, seq: number): Promise<Message | null> {
  const page = await answer(
    api.rooms[":roomId"].messages.$get({ param: roomParam(roomId), query: { before: seq + 1, limit: 1 } }),
  );
  return page.messages.find((message) => message.seq === seq) ?? null;
}
