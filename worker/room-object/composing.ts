import { type Caller, type Draft, type Refusal, refuse } from "./api";
import type { RoomParts } from "./parts";
import type { AttachmentRow, NewMessage } from "./store";

// What a draft becomes before it is stored: the thread it answers must be a message that is not
// itself a reply (Slack-style threads are one level deep), the message it quotes must exist, and
// the people it mentions are resolved from `@username` of members (API.md "Mentions"); `@room`
// mentions everyone, for owners and admins only (anyone else's `@room` stays text).

const MENTION = /(^|[^\w.@-])@([A-Za-z0-9_.-]{3,32})(?![\w-])/g;

export class Composing {
  constructor(
    private readonly parts: RoomParts,
    /** The files a draft names, if they may be sent (see attachments.ts). */
    private readonly filesFor: (userId: string, ids: string[]) => AttachmentRow[] | Refusal,
  ) {}

  prepare(author: Pick<Caller, "userId">, draft: Draft): NewMessage | Refusal {
    const { messages } = this.parts.store;
    if (draft.threadSeq !== undefined) {
      const root = messages.get(draft.threadSeq);
      if (!root) return refuse("not_found", `No message ${draft.threadSeq} in this room.`);
      if (root.threadSeq !== null)
        return refuse("invalid_request", "threadSeq: a reply in a thread cannot have a thread of its own.");
    }
    if (draft.replyTo !== undefined && !messages.get(draft.replyTo))
      return refuse("not_found", `No message ${draft.replyTo} in this room to quote.`);
    const files = draft.attachmentIds?.length ? this.filesFor(author.userId, draft.attachmentIds) : [];
    if ("ok" in files) return files;
    if (draft.body === "" && files.length === 0)
      return refuse("invalid_request", "body: must not be empty unless the message has attachmentIds");
    return {
      userId: author.userId,
      body: draft.body,
      clientId: draft.clientId,
      threadSeq: draft.threadSeq ?? null,
      replyToSeq: draft.replyTo ?? null,
      mentions: this.mentionsIn(author.userId, draft.body),
      attachments: files,
    };
  }

  /** The members a body mentions, in the order they appear. */
  mentionsIn(authorId: string, body: string): string[] {
    if (!body.includes("@")) return []; // the hot path: most messages mention nobody
    const { members } = this.parts.store;
    const found = new Set<string>();
    for (const match of body.matchAll(MENTION)) {
      const name = match[2] ?? "";
      if (name.toLowerCase() === "room") {
        const role = members.get(authorId)?.role;
        if (role === "owner" || role === "admin")
          for (const member of members.all()) found.add(member.userId);
        continue;
      }
      // A username may contain dots; a sentence's full stop after it is not part of it.
      const member = members.byUsername(name) ?? members.byUsername(name.replace(/\.+$/, ""));
      if (member) found.add(member.userId);
    }
    return [...found];
  }
}
