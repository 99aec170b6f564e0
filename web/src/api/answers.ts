import type { ErrorBody } from "../../../worker/http/errors";

// What the API answers, as the page reads it. The routes' types come from the Worker through
// `hc<AppType>` (see client.ts): a successful answer is typed by its route, and every refusal has
// the one error shape of API.md. These two helpers are the only place that tells the two apart.

/**
 * An error answer: the Worker's ErrorBody, except that `code` is any string here. The OpenAPI
 * schema documents it as one, and a newer server may add codes this page does not know yet.
 */
export type ErrorAnswer = { error: Omit<ErrorBody["error"], "code"> & { code: string } };

/** A refused call, with the HTTP status and the server's code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

// The `ok` flag of hc's responses is typed from the status, so these two shapes pick the success
// and the refusals out of a route's answers, and TypeScript infers the success body from the first.
type Refusal = { ok: false; status: number; json(): Promise<ErrorAnswer> };
type Answered<Body> = { ok: true; status: 200 | 201; json(): Promise<Body> };
type Completed = { ok: true; status: 204 };

async function refusal(response: Refusal): Promise<ApiError> {
  // A proxy in front of the Worker may answer with a page of its own instead of JSON.
  const body = await response.json().catch(() => null);
  return new ApiError(
    response.status,
    body?.error.code ?? "error",
    body?.error.message ?? `The server answered ${response.status}.`,
  );
}

/** The body of a call that answers with JSON (200 or 201); a refusal throws an ApiError. */
export async function answer<Body>(call: Promise<Answered<Body> | Refusal>): Promise<Body> {
  const response = await call;
  if (!response.ok) throw await refusal(response);
  return response.json();
}

/** A call that answers 204 No Content; a refusal throws an ApiError. */
export async function done(call: Promise<Completed | Refusal>): Promise<void> {
  const response = await call;
  if (!response.ok) throw await refusal(response);
}
