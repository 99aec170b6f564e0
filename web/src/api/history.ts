import { answer } from "./answers";
import { api, roomParam } from "./client";
import type { Message, MessagePage } from "./types";

// History has two shapes on one route (API.md): a page by cursor, {messages, hasMore}, and a page
// around one message, {messages, hasMoreBefore, hasMoreAfter}. These helpers ask for one and
// answer with that one, so callers never guess which they got.

type PageQuery = { before?: number; after?: number; limit?: number; thread?: number };
export type PageAround = { messages: Message[]; hasMoreBefore: boolean; hasMoreAfter: boolean };

export async function historyPage(roomId: string, query: PageQuery): Promise<MessagePage> {
  const page = await answer(api.rooms[":roomId"].messages.$get({ param: roomParam(roomId), query }));
  if (!("hasMore" in page))
    throw new Error("The server answered a page around a message to a paging request.");
  return page;
}

export async function historyAround(roomId: string, seq: number, limit: number): Promise<PageAround> {
  const page = await answer(
    api.rooms[":roomId"].messages.$get({ param: roomParam(roomId), query: { around: seq, limit } }),
  );
  if (!("hasMoreBefore" in page))
    throw new Error("The server answered a plain page to a request around a message.");
  return page;
}
