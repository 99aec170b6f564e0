import type { Caller, HistoryQuery } from "./api";
import type { RoomParts } from "./parts";
import type { Receipts } from "./receipts";
import type { Page } from "./store";

// Paging through history (GET …/messages). What a member fetches counts as delivered to them.

export class History {
  constructor(
    private readonly parts: RoomParts,
    private readonly receipts: Receipts,
  ) {}

  page(caller: Caller, query: HistoryQuery): Page {
    const messages = this.parts.store.messages;
    const page =
      query.after !== undefined
        ? messages.after(query.after, query.limit, query.before)
        : messages.before(query.before ?? Number.MAX_SAFE_INTEGER, query.limit);
    const newest = page.messages.at(-1)?.seq;
    if (newest !== undefined) this.receipts.markDelivered(caller.userId, newest);
    return page;
  }
}
