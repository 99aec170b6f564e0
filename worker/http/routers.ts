import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env";
import { requireUser } from "../auth/middleware";
import { validationHook } from "./validation";

// Every group of routes starts from one of these, so validation answers the same way everywhere
// and a signed-in group cannot forget its authentication. Chain `.openapi(route, handler)` calls
// on the result: the chain's type is what the web client's `hc<AppType>` is checked against.

export function openRoutes() {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
}

/** Routes that need `Authorization: Bearer <access token>`; the caller is on `c.var.user`. */
export function signedInRoutes() {
  const routes = openRoutes();
  routes.use("*", requireUser);
  return routes;
}
