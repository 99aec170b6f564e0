import type { AuthenticatedUser } from "./auth/middleware";

/** The Hono environment of every route: the Worker's bindings and what middleware puts on the context. */
export type AppEnv = {
  Bindings: Env;
  Variables: { user: AuthenticatedUser };
};
