import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { uploadQuotas } from "../db/schema";
import { rateLimited } from "../http/errors";
import type { MediaSettings } from "./settings";

// The daily upload quota: bytes and files per person per UTC day, across all their rooms. An upload
// reserves its declared size in one conditional statement (so parallel uploads cannot pass the
// quota together) before its first byte is read; a failed upload gives it back.

const today = (now = new Date()) => now.toISOString().slice(0, 10);

function secondsUntilTomorrow(now = new Date()): number {
  const tomorrow = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return Math.max(1, Math.ceil((tomorrow - now.getTime()) / 1000));
}

export type QuotaReservation = { userId: string; day: string; bytes: number };

export async function reserveQuota(
  db: Database,
  userId: string,
  bytes: number,
  settings: MediaSettings,
): Promise<QuotaReservation> {
  const day = today();
  await db.insert(uploadQuotas).values({ userId, day }).onConflictDoNothing();
  const reserved = await db
    .update(uploadQuotas)
    .set({ bytes: sql`${uploadQuotas.bytes} + ${bytes}`, files: sql`${uploadQuotas.files} + 1` })
    .where(
      and(
        eq(uploadQuotas.userId, userId),
        eq(uploadQuotas.day, day),
        sql`${uploadQuotas.bytes} + ${bytes} <= ${settings.quotaBytesPerDay}`,
        sql`${uploadQuotas.files} + 1 <= ${settings.quotaFilesPerDay}`,
      ),
    )
    .returning({ bytes: uploadQuotas.bytes });
  if (reserved.length === 0)
    throw rateLimited("You have reached today's upload quota; try again tomorrow.", secondsUntilTomorrow());
  return { userId, day, bytes };
}

/** An upload failed: its bytes and its file no longer count. */
export async function releaseQuota(db: Database, reservation: QuotaReservation): Promise<void> {
  await db
    .update(uploadQuotas)
    .set({
      bytes: sql`max(0, ${uploadQuotas.bytes} - ${reservation.bytes})`,
      files: sql`max(0, ${uploadQuotas.files} - 1)`,
    })
    .where(and(eq(uploadQuotas.userId, reservation.userId), eq(uploadQuotas.day, reservation.day)));
}
