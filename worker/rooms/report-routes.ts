import { createRoute } from "@hono/zod-openapi";
import { database } from "../db/client";
import { forbidden } from "../http/errors";
import { bearerSecurity, errorResponses, jsonBody, jsonResponse } from "../http/openapi";
import { signedInRoutes } from "../http/routers";
import { limit } from "../limits/limit";
import { asMember, requireRole, roomAccess, roomObject, unwrap } from "./access";
import { MessageParams, ReportBody, ReportListSchema, RoomParams } from "./moderation-schemas";

// Reporting a message: any member may; the room's owners and admins get `{type: "report"}` on their
// channel at once and see every report with GET …/reports.

const tags = ["Moderation"];
const security = bearerSecurity;

const report = createRoute({
  operationId: "reportMessage",
  middleware: [limit("report")],
  method: "post",
  path: "/{roomId}/messages/{seq}/report",
  tags,
  security,
  summary: "Report a message to the room's owners and admins",
  request: { params: MessageParams, ...jsonBody(ReportBody) },
  description: "At most 20 reports per hour per person (RATE_REPORT_PER_USER; 429 beyond).",
  responses: { 204: { description: "Reported." }, ...errorResponses(400, 401, 403, 404, 413, 415, 429) },
});

const listReports = createRoute({
  operationId: "listReports",
  method: "get",
  path: "/{roomId}/reports",
  tags,
  security,
  summary: "Reports of messages in this room (owner or admin)",
  request: { params: RoomParams },
  responses: { 200: jsonResponse(ReportListSchema, "Newest first."), ...errorResponses(401, 403, 404) },
});

export const reportRoutes = signedInRoutes()
  .openapi(report, async (c) => {
    const { roomId, seq } = c.req.valid("param");
    const access = await roomAccess(database(c.env.DB), roomId, c.var.user.id);
    const caller = asMember(access);
    // A direct room has no moderators to tell: blocking is what helps there.
    if (access.room.kind === "direct")
      throw forbidden("A direct room has no moderators; block the person instead.");
    unwrap(await roomObject(c.env, roomId).reportMessage(caller, seq, c.req.valid("json").reason));
    return c.body(null, 204);
  })
  .openapi(listReports, async (c) => {
    const access = await roomAccess(database(c.env.DB), c.req.valid("param").roomId, c.var.user.id);
    const caller = requireRole(access, ["owner", "admin"], "see reports");
    const view = await roomObject(c.env, caller.roomId).moderationView(caller, { kind: "reports" });
    const reports = view.kind === "reports" ? view.reports : [];
    return c.json(
      {
        reports: reports.map((entry) => ({
          id: entry.id,
          seq: entry.seq,
          reporterId: entry.reporterId,
          reason: entry.reason,
          createdAt: new Date(entry.at).toISOString(),
        })),
      },
      200,
    );
  });
