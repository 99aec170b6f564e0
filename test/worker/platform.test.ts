import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../worker/app";
import { api, errorOf, signUp } from "./helpers";

type Operation = {
  operationId?: string;
  security?: Record<string, string[]>[];
  responses: Record<string, unknown>;
  requestBody?: unknown;
};

type OpenApiDocument = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { example?: unknown }>; securitySchemes: Record<string, unknown> };
};

function operationsOf(doc: OpenApiDocument) {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      route: `${method.toUpperCase()} ${path}`,
      operation,
    })),
  );
}

describe("the API's spine", () => {
  it("answers an unknown route with a JSON 404", async () => {
    const response = await api("GET", "/api/nothing/here");
    expect(response.status).toBe(404);
    expect(errorOf(response).code).toBe("not_found");
  });

  it("sends security headers on every API response", async () => {
    const response = await api("GET", "/api/nothing");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });

  it("keeps CORS closed by default", async () => {
    const response = await api("GET", "/api/openapi.json", { headers: { origin: "https://evil.example" } });
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("opens CORS to the origins listed in CORS_ORIGINS, and only to them", async () => {
    const app = createApp();
    const settings = { ...env, CORS_ORIGINS: "https://app.example, https://other.example" };
    const preflight = await app.request(
      "/api/auth/login",
      {
        method: "OPTIONS",
        headers: { origin: "https://app.example", "access-control-request-method": "POST" },
      },
      settings,
    );
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://app.example");
    expect(preflight.headers.get("access-control-allow-headers")).toContain("Authorization");
    const stranger = await app.request(
      "/api/openapi.json",
      { headers: { origin: "https://evil.example" } },
      settings,
    );
    expect(stranger.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("answers an unexpected failure with 500 in the error shape and no internals", async () => {
    const { accessToken } = await signUp();
    // A deployment without a usable JWT_SECRET is a server fault, not the client's.
    const broken = { ...env, JWT_SECRET: "" };
    const response = await createApp().request(
      "/api/users/me",
      { headers: { authorization: `Bearer ${accessToken}` } },
      broken,
    );
    expect(response.status).toBe(500);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body).toEqual({ error: { code: "internal_error", message: "Something went wrong on our side." } });
    expect(JSON.stringify(body)).not.toMatch(/JWT_SECRET|at |\.ts/);
  });
});

describe("the API's documentation", () => {
  it("is an OpenAPI 3.1 document describing every route, with bearer auth and examples", async () => {
    const response = await api<OpenApiDocument>("GET", "/api/openapi.json");
    expect(response.status).toBe(200);
    const doc = response.body;
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/api/auth/demo",
      "/api/auth/login",
      "/api/auth/logout",
      "/api/auth/refresh",
      "/api/auth/register",
      "/api/auth/ticket",
      "/api/auth/verify",
      "/api/calls/ice-servers",
      "/api/files/avatars/{userId}/{version}",
      "/api/files/previews/{previewId}",
      "/api/files/rooms/{roomId}/{attachmentId}/{variant}",
      "/api/rooms",
      "/api/rooms/direct",
      "/api/rooms/discover",
      "/api/rooms/{roomId}",
      "/api/rooms/{roomId}/attachments",
      "/api/rooms/{roomId}/audit",
      "/api/rooms/{roomId}/bans",
      "/api/rooms/{roomId}/bans/{userId}",
      "/api/rooms/{roomId}/call/decline",
      "/api/rooms/{roomId}/join",
      "/api/rooms/{roomId}/leave",
      "/api/rooms/{roomId}/members",
      "/api/rooms/{roomId}/members/{userId}",
      "/api/rooms/{roomId}/messages",
      "/api/rooms/{roomId}/messages/{seq}",
      "/api/rooms/{roomId}/messages/{seq}/preview",
      "/api/rooms/{roomId}/messages/{seq}/reactions/{emoji}",
      "/api/rooms/{roomId}/messages/{seq}/report",
      "/api/rooms/{roomId}/mutes",
      "/api/rooms/{roomId}/mutes/{userId}",
      "/api/rooms/{roomId}/notifications",
      "/api/rooms/{roomId}/pins",
      "/api/rooms/{roomId}/pins/{seq}",
      "/api/rooms/{roomId}/read",
      "/api/rooms/{roomId}/reports",
      "/api/rooms/{roomId}/search",
      "/api/rooms/{roomId}/ws",
      "/api/search",
      "/api/users",
      "/api/users/me",
      "/api/users/me/avatar",
      "/api/users/me/blocks",
      "/api/users/me/password",
      "/api/users/{userId}",
      "/api/users/{userId}/block",
      "/api/ws",
    ]);
    expect(Object.keys(doc.paths["/api/users/me"] ?? {}).sort()).toEqual(["delete", "get", "patch"]);
    // Every rate-limited call documents its 429.
    const limited = [
      ["/api/auth/register", "post"],
      ["/api/auth/login", "post"],
      ["/api/auth/ticket", "post"],
      ["/api/rooms", "post"],
      ["/api/rooms/direct", "post"],
      ["/api/rooms/discover", "get"],
      ["/api/users", "get"],
      ["/api/users/me/password", "post"],
      ["/api/users/me", "delete"],
    ] as const;
    for (const [path, method] of limited)
      expect({
        path,
        method,
        responses: Object.keys(doc.paths[path]?.[method]?.responses ?? {}),
      }).toMatchObject({
        responses: expect.arrayContaining(["429"]),
      });
    expect(doc.components.securitySchemes).toHaveProperty("bearerAuth");
    expect(JSON.stringify(doc.components.schemas.Register)).toContain('"example":"alice"');
    expect(doc.components.schemas).toHaveProperty("Error");
  });

  it("names every operation with a unique camelCase operationId", async () => {
    const doc = (await api<OpenApiDocument>("GET", "/api/openapi.json")).body;
    const ids = operationsOf(doc).map(({ route, operation }) => operation.operationId ?? `none for ${route}`);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-zA-Z]+$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.paths["/api/rooms"]?.get?.operationId).toBe("listRooms");
    expect(doc.paths["/api/rooms/{roomId}/messages"]?.post?.operationId).toBe("sendMessage");
  });

  it("documents 413 and 415 on every call that takes a JSON body", async () => {
    const doc = (await api<OpenApiDocument>("GET", "/api/openapi.json")).body;
    const json = (body: unknown) => JSON.stringify(body ?? null).includes('"application/json"');
    const withBody = operationsOf(doc).filter(({ operation }) => json(operation.requestBody));
    expect(withBody.length).toBeGreaterThanOrEqual(12);
    for (const { route, operation } of withBody) {
      expect(Object.keys(operation.responses), route).toEqual(expect.arrayContaining(["413", "415"]));
    }
  });

  it("declares who may call what: public auth calls, bearer routes, ?ticket= or ?token= on the sockets", async () => {
    const doc = (await api<OpenApiDocument>("GET", "/api/openapi.json")).body;
    expect(doc.components.securitySchemes.tokenQuery).toMatchObject({
      type: "apiKey",
      in: "query",
      name: "token",
    });
    for (const path of ["/api/auth/register", "/api/auth/login", "/api/auth/refresh", "/api/auth/logout"]) {
      expect(doc.paths[path]?.post?.security, path).toEqual([]);
    }
    for (const path of ["/api/ws", "/api/rooms/{roomId}/ws"]) {
      expect(doc.paths[path]?.get?.security, path).toEqual([
        { ticketQuery: [] },
        { tokenQuery: [] },
        { bearerAuth: [] },
      ]);
    }
    for (const { route, operation } of operationsOf(doc)) expect(operation.security, route).toBeDefined();
  });

  it("states the limits the server enforces as schema constraints, and gives every named schema an example", async () => {
    const { schemas } = (await api<OpenApiDocument>("GET", "/api/openapi.json")).body.components;
    const property = (schema: string, name: string) =>
      (schemas[schema] as { properties: Record<string, unknown> }).properties[name];
    expect(property("Register", "username")).toMatchObject({ minLength: 3, maxLength: 32 });
    expect(property("Register", "password")).toMatchObject({ minLength: 8, maxLength: 128 });
    expect(property("UpdateProfile", "displayName")).toMatchObject({ minLength: 1, maxLength: 64 });
    expect(property("UpdateProfile", "bio")).toMatchObject({ maxLength: 500 });
    expect(property("CreateRoom", "name")).toMatchObject({ minLength: 1, maxLength: 80 });
    expect(property("CreateRoom", "topic")).toMatchObject({ maxLength: 250 });
    // A message of files only may have an empty body (attachmentIds), so the body has no minLength.
    expect(property("SendMessage", "body")).toMatchObject({ maxLength: 4000 });
    expect(property("SendMessage", "clientId")).toMatchObject({ minLength: 1, maxLength: 64 });
    for (const [name, schema] of Object.entries(schemas)) expect(schema.example, name).toBeDefined();
  });

  it("is browsable at /api/docs from our own origin, with no CDN", async () => {
    const response = await SELF_fetchText("/api/docs");
    expect(response.status).toBe(200);
    expect(response.text).toContain("/vendor/swagger-ui/swagger-ui-bundle.js");
    expect(response.text).not.toMatch(/https?:\/\//);
    expect(response.csp).toContain("script-src 'self'");
    const init = await SELF_fetchText("/api/docs/init.js");
    expect(init.text).toContain("/api/openapi.json");
  });
});

async function SELF_fetchText(path: string) {
  const { SELF } = await import("cloudflare:test");
  const response = await SELF.fetch(`https://hubbub.test${path}`);
  return {
    status: response.status,
    text: await response.text(),
    csp: response.headers.get("content-security-policy"),
  };
}
