import { hc } from "hono/client";
import type { AppType } from "../../../worker/app";
import { AuthFailure, accessToken, forceRefresh } from "./session";

// The API as the signed-in user calls it, typed end to end: `api.rooms[":roomId"].$get(...)` is
// checked by the compiler against the Worker's own routes (worker/app.ts exports AppType). Wrap a
// call in answer() or done() (answers.ts) to get its typed body or an ApiError.

/** fetch with the access token; a refused token is refreshed once and the call sent again. */
async function signedInFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const send = async (token: string) => {
    const headers = new Headers(init?.headers);
    headers.set("authorization", `Bearer ${token}`);
    return fetch(input, { ...init, headers });
  };
  const response = await send(await accessToken());
  if (response.status !== 401) return response;
  const retried = await send(await forceRefresh());
  if (retried.status === 401) throw new AuthFailure("Your session has ended. Please sign in again.");
  return retried;
}

export const api = hc<AppType>("/", { fetch: signedInFetch }).api;

/** A room id from the address bar as a path segment: the client puts params into the path as given. */
export function roomParam(roomId: string): { roomId: string } {
  return { roomId: encodeURIComponent(roomId) };
}
