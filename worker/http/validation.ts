import type { Hook, z } from "@hono/zod-openapi";
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
