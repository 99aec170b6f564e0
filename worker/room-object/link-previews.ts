import { firstLink, linkPreviewFor } from "../media/link-previews/previews";
import type { Message } from "../protocol/messages";
import { type Caller, done, type Outcome, refuse } from "./api";
import type { RoomParts } from "./parts";
import { REMOVED_PREVIEW } from "./store/messages";

// The card of a new message's first http(s) link. It is fetched after the message was stored and
// broadcast (never on the send's path), by the server under the SSRF rules of
// media/link-previews/, and arrives as `message_updated`. Its author may remove it; a removed card
// never comes back, even if the fetch finishes later.

export class LinkPreviews {
  constructor(private readonly parts: RoomParts) {}

  /** A new message: if it has a link, fetch its card in the background. */
  stored(message: Message): void {
    if (!message.body.includes("http")) return; // the hot path: most messages have no link
    const url = firstLink(message.body);
    if (url) this.parts.ctx.waitUntil(this.fetchFor(message.seq, url));
  }

  async remove(caller: Caller, seq: number): Promise<Outcome<Message>> {
    const message = this.parts.store.messages.get(seq);
    if (!message) return refuse("not_found", `No message ${seq} in this room.`);
    if (message.userId !== caller.userId)
      return refuse("forbidden", "Only its author can remove a link preview.");
    const updated = this.parts.store.messages.setLinkPreview(seq, REMOVED_PREVIEW) ?? message;
    if (message.linkPreview) this.parts.sockets.broadcast({ type: "message_updated", message: updated });
    return done(updated);
  }

  private async fetchFor(seq: number, url: string): Promise<void> {
    try {
      const card = await linkPreviewFor(this.parts.env, url);
      if (!card) return;
      const updated = this.parts.store.messages.setLinkPreview(seq, card);
      if (updated) this.parts.sockets.broadcast({ type: "message_updated", message: updated });
    } catch (error) {
      console.warn("link preview failed", url, error);
    }
  }
}
