import { z } from "@hono/zod-openapi";
import { examples } from "../http/openapi";
import { MAX_SEARCH_QUERY_CHARS } from "../protocol/search";
import { MessageDoc } from "./schemas";

// The shapes of search (API.md "Search"), as zod schemas that validate the query string and
// document both calls in /api/openapi.json.

const Q = z.string().openapi({
  description: `Words (every one must match; the last also as a prefix), "quoted phrases" and from:username, at most ${MAX_SEARCH_QUERY_CHARS} characters. Case and diacritics are folded (cafe finds Café).`,
  example: 'deploy "release notes" from:alice',
  maxLength: MAX_SEARCH_QUERY_CHARS,
});

const limit = (max: number) =>
  z.coerce
    .number()
    .int("must be a whole number")
    .min(1, `must be 1 to ${max}`)
    .max(max, `must be 1 to ${max}`)
    .default(20)
    .openapi({ description: `How many results, 1–${max} (20).` });

export const MAX_ROOM_SEARCH_LIMIT = 50;

export const RoomSearchQuery = z.object({
  q: Q,
  limit: limit(MAX_ROOM_SEARCH_LIMIT),
  cursor: z.string().max(200, "is not one that this search handed out").optional().openapi({
    description: "The nextCursor of the previous page (opaque).",
  }),
});

export const SearchAllQuery = z.object({ q: Q, limit: limit(50) });

const segmentExample = [
  { text: "Shall we ", match: false },
  { text: "deploy", match: true },
  { text: " the release notes today?", match: false },
];

export const SnippetSchema = z.object({ text: z.string(), match: z.boolean() }).array().openapi("Snippet", {
  description:
    "The matching part of the message as plain text in segments (never HTML): `match: true` for what matched.",
  example: segmentExample,
});

const resultExample = { message: messageExampleOf(), snippet: segmentExample };

function messageExampleOf() {
  return {
    id: "7d9c2b1a-0e3f-4a5b-8c6d-1e2f3a4b5c6d",
    roomId: examples.roomId,
    seq: 42,
    userId: examples.userId,
    body: "Shall we deploy the release notes today?",
    clientId: null,
    createdAt: examples.time,
    editedAt: null,
    deletedAt: null,
    kind: "text",
    threadSeq: null,
    replyTo: null,
    mentions: [],
    reactions: [],
    pinnedAt: null,
    pinnedBy: null,
    thread: null,
    call: null,
    attachments: [],
    linkPreview: null,
  };
}

export const RoomSearchPageSchema = z
  .object({
    results: z.object({ message: MessageDoc, snippet: SnippetSchema }).array(),
    hasMore: z.boolean(),
    nextCursor: z
      .string()
      .nullable()
      .openapi({ description: "Pass as `cursor` for the next page; null at the end." }),
  })
  .openapi("RoomSearchResults", {
    example: { results: [resultExample], hasMore: true, nextCursor: "WzQxLDIwXQ" },
  });

export const SearchAllPageSchema = z
  .object({
    results: z.object({ roomId: z.string(), message: MessageDoc, snippet: SnippetSchema }).array(),
    hasMore: z.boolean().openapi({ description: "More results exist than `limit` in the rooms searched." }),
    partial: z.boolean().openapi({ description: "Not every one of the caller's rooms was searched." }),
    roomsSearched: z.number().int().openapi({ description: "How many of the caller's rooms answered." }),
  })
  .openapi("SearchResults", {
    example: {
      results: [{ roomId: examples.roomId, ...resultExample }],
      hasMore: false,
      partial: false,
      roomsSearched: 12,
    },
  });
