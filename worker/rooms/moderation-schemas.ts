import { z } from "@hono/zod-openapi";
import { text } from "../http/text";
import { Role } from "../protocol/rooms";
import { MemberParams, MessageParams, RoomParams } from "./schemas";

// The shapes of moderation over REST (API.md "Moderation and accounts").

const Timestamp = z.string().openapi({ format: "date-time", example: "2026-12-01T20:00:00.000Z" });
const Minutes = z.coerce
  .number()
  .int("must be a whole number")
  .min(1, "must be 1 to 525600 (a year)")
  .max(525_600, "must be 1 to 525600 (a year)");

export const ChangeRoleBody = z
  .object({
    role: Role.openapi({ description: "`owner` hands the room over; the old owner becomes an admin." }),
  })
  .openapi("ChangeRole", { example: { role: "admin" } });

export const BanBody = z
  .object({
    userId: z.string().min(1, "is required"),
    reason: text(0, 500).optional(),
    minutes: Minutes.optional().openapi({ description: "Omitted: until someone lifts the ban." }),
  })
  .openapi("Ban", {
    example: { userId: "3f0c9a1e-5b7d-4c1a-9e43-0d2b6f1a7c55", reason: "spam", minutes: 1440 },
  });

export const MuteBody = z
  .object({ userId: z.string().min(1, "is required"), minutes: Minutes })
  .openapi("Mute", { example: { userId: "3f0c9a1e-5b7d-4c1a-9e43-0d2b6f1a7c55", minutes: 60 } });

export const ReportBody = z
  .object({ reason: text(1, 500) })
  .openapi("Report", { example: { reason: "Harassment" } });

const Person = { userId: z.string(), username: z.string(), displayName: z.string() };

export const BanListSchema = z
  .object({
    bans: z
      .object({
        ...Person,
        byUserId: z.string(),
        reason: z.string(),
        createdAt: Timestamp,
        until: Timestamp.nullable(),
      })
      .array(),
  })
  .openapi("BanList", {
    example: {
      bans: [
        {
          userId: "3f0c9a1e-5b7d-4c1a-9e43-0d2b6f1a7c55",
          username: "mallory",
          displayName: "Mallory",
          byUserId: "9b2e4f70-1c3d-4e5f-8a9b-0c1d2e3f4a5b",
          reason: "spam",
          createdAt: "2026-12-01T20:00:00.000Z",
          until: null,
        },
      ],
    },
  });

export const MuteListSchema = z
  .object({
    mutes: z.object({ ...Person, byUserId: z.string(), createdAt: Timestamp, until: Timestamp }).array(),
  })
  .openapi("MuteList", {
    example: {
      mutes: [
        {
          userId: "3f0c9a1e-5b7d-4c1a-9e43-0d2b6f1a7c55",
          username: "mallory",
          displayName: "Mallory",
          byUserId: "9b2e4f70-1c3d-4e5f-8a9b-0c1d2e3f4a5b",
          createdAt: "2026-12-01T20:00:00.000Z",
          until: "2026-12-01T21:00:00.000Z",
        },
      ],
    },
  });

export const ReportListSchema = z
  .object({
    reports: z
      .object({
        id: z.number().int(),
        seq: z.number().int(),
        reporterId: z.string(),
        reason: z.string(),
        createdAt: Timestamp,
      })
      .array(),
  })
  .openapi("ReportList", {
    example: {
      reports: [
        {
          id: 1,
          seq: 42,
          reporterId: "3f0c9a1e-5b7d-4c1a-9e43-0d2b6f1a7c55",
          reason: "Harassment",
          createdAt: "2026-12-01T20:00:00.000Z",
        },
      ],
    },
  });

export const AuditQuery = z.object({
  before: z.coerce.number().int("must be a whole number").positive("must be 1 or more").optional(),
  limit: z.coerce
    .number()
    .int("must be a whole number")
    .min(1, "must be 1 to 100")
    .max(100, "must be 1 to 100")
    .default(50),
});

export const AuditPageSchema = z
  .object({
    entries: z
      .object({
        id: z.number().int(),
        at: Timestamp,
        actorId: z.string(),
        action: z.string().openapi({
          description:
            "member_removed, member_banned, member_unbanned, member_muted, member_unmuted, role_changed, ownership_transferred, room_renamed, message_deleted",
        }),
        targetUserId: z.string().optional(),
        seq: z.number().int().optional(),
        details: z.record(z.string(), z.unknown()).optional(),
      })
      .array(),
    hasMore: z.boolean(),
  })
  .openapi("AuditPage", {
    example: {
      entries: [
        {
          id: 7,
          at: "2026-12-01T20:00:00.000Z",
          actorId: "9b2e4f70-1c3d-4e5f-8a9b-0c1d2e3f4a5b",
          action: "member_banned",
          targetUserId: "3f0c9a1e-5b7d-4c1a-9e43-0d2b6f1a7c55",
          details: { reason: "spam" },
        },
      ],
      hasMore: false,
    },
  });

export { MemberParams, MessageParams, RoomParams };
