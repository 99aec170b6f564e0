import { SELF } from "cloudflare:test";

// One place for the fixtures every test needs: calling the API, signing people up.

export type ApiResponse<T = Record<string, unknown>> = { status: number; headers: Headers; body: T };

type CallOptions = { token?: string; body?: unknown; headers?: Record<string, string> };

/** Calls the Worker as a client would, over HTTP, and parses the JSON answer (if any). */
export async function api<T = Record<string, unknown>>(
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const response = await SELF.fetch(`https://hubbub.test${path}`, { method, headers, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : null) as T };
}

export type SignedIn = {
  user: { id: string; username: string; displayName: string; bio: string; createdAt: string };
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
};

let counter = 0;

/** A username no other test uses, so tests never depend on each other's rows. */
export function uniqueName(prefix = "user"): string {
  counter += 1;
  return `${prefix}_${counter}_${crypto.randomUUID().slice(0, 8)}`;
}

export const PASSWORD = "correct horse battery";

export async function signUp(username = uniqueName(), password = PASSWORD): Promise<SignedIn> {
  const response = await api<SignedIn>("POST", "/api/auth/register", { body: { username, password } });
  if (response.status !== 201) throw new Error(`sign-up failed: ${JSON.stringify(response.body)}`);
  return response.body;
}

export type ErrorBody = { error: { code: string; message: string; details?: unknown } };

/** Asserts the API.md error shape and returns it for further checks. */
export function errorOf(response: ApiResponse<unknown>): ErrorBody["error"] {
  const body = response.body as ErrorBody;
  if (!body?.error || typeof body.error.code !== "string" || typeof body.error.message !== "string") {
    throw new Error(`not an API error: ${JSON.stringify(response.body)}`);
  }
  return body.error;
}
