import type { Caller, HistoryQuery } from "./api";
import type { RoomParts } from "./parts";
import type { Receipts } from "./receipts";
import type { Page, PageAround } from "./store";

// Paging through history (GET …/messages): the main timeline (thread replies left out), one
// thread's replies, or a page around one message (jumping to a quote or a search result). What a
// member fetches counts as delivered to them.

export class History {
  constructor(
    private readonly parts: RoomParts,
    private readonly receipts: Receipts,
  ) {}

  page(caller: Caller, query: HistoryQuery): Page {
    const messages = this.parts.store.messages;
    const timeline = query.thread === undefined ? "main" : { thread: query.thread };
    const page =
      query.after !== undefined
        ? messages.after(query.after, query.limit, query.before, timeline)
        : messages.before(query.before ?? Number.MAX_SAFE_INTEGER, query.limit, timeline);
    this.delivered(caller, page.messages.at(-1)?.seq);
    return page;
  }

  around(caller: Caller, seq: number, limit: number): PageAround {
    const page = this.parts.store.messages.around(seq, limit);
    this.delivered(caller, page.messages.at(-1)?.seq);
    return page;
  }

  private delivered(caller: Caller, newest: number | undefined): void {
    if (newest !== undefined) this.receipts.markDelivered(caller.userId, newest);
  }
}
