import type { Hook } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env";
import { errorResponse, invalidRequest } from "./errors";

// Input is validated once, at the edge, by the same zod schemas that document the API.
// A failure names the field and the rule, e.g. "username: must be 3 to 32 characters".

type Issue = { path: string; message: string };

function issuesOf(error: z.ZodError): Issue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
  }));
}

export const validationHook: Hook<unknown, AppEnv, string, unknown> = (result, c) => {
  if (result.success) return;
  const issues = issuesOf(result.error);
  const first = issues[0];
  const where = first?.path ? `${first.path}: ` : `${result.target}: `;
  return errorResponse(c, invalidRequest(`${where}${first?.message ?? "is invalid"}`, { issues }));
};

/** Length in characters as people count them (code points), not UTF-16 units. */
export function characterCount(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

/** A string of min..max characters. */
export function text(min: number, max: number) {
  const rule = min === 0 ? `at most ${max}` : `${min} to ${max}`;
  return z.string().refine((value) => {
    const length = characterCount(value);
    return length >= min && length <= max;
  }, `must be ${rule} characters`);
}

/** A string of min..max characters with at least one that is not white space. */
export function visibleText(min: number, max: number) {
  return text(min, max).refine((value) => value.trim().length > 0, "must not be blank");
}
