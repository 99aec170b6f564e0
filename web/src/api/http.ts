import { AuthFailure, accessToken, forceRefresh } from "./session";
import type { ErrorBody } from "./types";

/** An API error in the API.md shape, with the HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Calls the API as the signed-in user. A refused token is refreshed once and the call retried. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const send = async (token: string) =>
    fetch(`/api${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  let response = await send(await accessToken());
  if (response.status === 401) response = await send(await forceRefresh());
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const error = (parsed as ErrorBody | null)?.error;
    if (response.status === 401) throw new AuthFailure(error?.message ?? "Signed out.");
    throw new ApiError(response.status, error?.code ?? "error", error?.message ?? `HTTP ${response.status}`);
  }
  return parsed as T;
}
