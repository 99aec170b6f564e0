// The client's view of the API, derived from the Worker's own schemas and protocol module:
// nothing here is a hand-copied shape, so a change on the server shows up here as a type error.

import type { z } from "zod";
import type {
  AuditPageSchema,
  BanListSchema,
  MuteListSchema,
  ReportListSchema,
} from "../../../worker/rooms/moderation-schemas";

export type { AuthResult } from "../../../worker/auth/schemas";
export type { IceServer } from "../../../worker/calls/ice-servers";
export { callDuration, callPreview, isMissedCall } from "../../../worker/protocol/call-text";
export type {
  CallParticipant,
  CallSignal,
  CallSummary,
  RingingStopped,
} from "../../../worker/protocol/calls";
export type {
  Batched,
  ChannelFrame,
  ClientFrame,
  MemberChange,
  MemberInfo,
  Receipt,
  RoomFrame,
} from "../../../worker/protocol/frames";
export {
  CALL_RING_MS,
  CloseCode,
  characterCount,
  DEFAULT_MAX_CALL_PARTICIPANTS,
  MAX_ATTACHMENTS_PER_MESSAGE,
  MAX_MESSAGE_CHARS,
  TYPING_TIMEOUT_MS,
} from "../../../worker/protocol/limits";
export type { Attachment, LastMessage, LinkPreview, Message } from "../../../worker/protocol/messages";
export type { Role, RoomKind, RoomSummary } from "../../../worker/protocol/rooms";
export {
  MAX_SEARCH_QUERY_CHARS,
  parseSearch,
  type SnippetSegment,
} from "../../../worker/protocol/search";
export type { DiscoveredRoom, Member, MessagePage, RoomDetail } from "../../../worker/rooms/schemas";
export type { OwnProfile, PublicProfile } from "../../../worker/users/schemas";

export type AuditPage = z.infer<typeof AuditPageSchema>;
export type AuditEntry = AuditPage["entries"][number];
export type Ban = z.infer<typeof BanListSchema>["bans"][number];
export type Mute = z.infer<typeof MuteListSchema>["mutes"][number];
export type Report = z.infer<typeof ReportListSchema>["reports"][number];
