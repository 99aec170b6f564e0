import { hc } from "hono/client";
import { describe, expect, expectTypeOf, it } from "vitest";
import { ApiError, answer, done, type ErrorAnswer } from "../../web/src/api/answers.ts";
import type { PageAround } from "../../web/src/api/history";
import type { Message, MessagePage, RoomDetail, RoomSummary } from "../../web/src/api/types.ts";
import type { AppType } from "../../worker/app.ts";
import type { ErrorBody } from "../../worker/http/errors.ts";

// The page calls the API through hc<AppType>: answers are typed by the Worker's own routes (checked
// by `npm run typecheck`, as Hono pins its client in src/client/client.test.ts), and answer()/done()
// turn refusals into one ApiError. Here the server is a stub fetch that answers what a test needs.

function apiAnswering(status: number, body?: unknown) {
  const reply = () => (body === undefined ? new Response(null, { status }) : Response.json(body, { status }));
  return hc<AppType>("http://hubbub.test", { fetch: async () => reply() }).api;
}

const room: RoomDetail = {
  id: "r1",
  kind: "public",
  name: "general",
  topic: "",
  createdAt: "2026-11-21T12:00:00.000Z",
  role: "owner",
  members: [
    { userId: "u1", username: "alice", displayName: "Alice", role: "owner", online: true, avatarUrl: null },
  ],
};

describe("the typed API client", () => {
  it("answers a room as the room with its members, typed by the route", async () => {
    const api = apiAnswering(200, room);
    const answered = await answer(api.rooms[":roomId"].$get({ param: { roomId: "r1" } }));
    expectTypeOf(answered).toEqualTypeOf<RoomDetail>();
    expect(answered).toEqual(room);
  });

  it("types the room list, a history page and a sent message", () => {
    const api = apiAnswering(200, {});
    expectTypeOf(answer(api.rooms.$get())).resolves.toEqualTypeOf<{ rooms: RoomSummary[] }>();
    // One route, two shapes: a page by cursor, or a page around one message (jump to it).
    expectTypeOf(
      answer(api.rooms[":roomId"].messages.$get({ param: { roomId: "r1" }, query: { before: 51 } })),
    ).resolves.toEqualTypeOf<MessagePage | PageAround>();
    expectTypeOf(
      answer(api.rooms[":roomId"].messages.$post({ param: { roomId: "r1" }, json: { body: "hi" } })),
    ).resolves.toEqualTypeOf<Message>();
  });

  it("completes a 204 with nothing, and refuses to read a body from it", async () => {
    const api = apiAnswering(204);
    const left = done(api.rooms[":roomId"].leave.$post({ param: { roomId: "r1" } }));
    expectTypeOf(left).resolves.toBeVoid();
    await expect(left).resolves.toBeUndefined();
    // @ts-expect-error leaving answers 204 No Content: there is no body to read.
    void answer(api.rooms[":roomId"].leave.$post({ param: { roomId: "r1" } })).catch(() => undefined);
  });

  it("turns a refusal into an ApiError with the status, code and message the server sent", async () => {
    const api = apiAnswering(404, { error: { code: "not_found", message: "No such room." } });
    const refused = answer(api.rooms[":roomId"].$get({ param: { roomId: "nope" } }));
    await expect(refused).rejects.toBeInstanceOf(ApiError);
    await expect(refused).rejects.toMatchObject({ status: 404, code: "not_found", message: "No such room." });
  });

  it("says what happened when a refusal is not JSON (a proxy's error page)", async () => {
    const api = hc<AppType>("http://hubbub.test", {
      fetch: async () => new Response("<h1>Bad gateway</h1>", { status: 502 }),
    }).api;
    await expect(answer(api.rooms.$get())).rejects.toMatchObject({
      status: 502,
      message: "The server answered 502.",
    });
  });

  it("reads every error the Worker sends (ErrorBody) as the one error answer", () => {
    expectTypeOf<ErrorBody>().toExtend<ErrorAnswer>();
  });
});
