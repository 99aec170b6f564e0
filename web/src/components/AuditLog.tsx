import { useEffect, useRef, useState } from "preact/hooks";
import { auditPage } from "../api/moderation";
import type { AuditEntry, RoomDetail } from "../api/types";
import { describeError, timeAgo } from "../format";
import { useNames } from "../people/names";
import { auditSentence } from "../state/moderation";
import { Sentence } from "./Sentence";

// The room's audit log in sentences, newest first ("Ann banned Ben (spam) · 2 min ago"), a page at
// a time: "Show older" asks for the entries before the oldest one shown (`before` is an entry id),
// and the focus goes to the first of them (the button itself goes when there are no more).

const PAGE = 25;

type Log = { entries: AuditEntry[]; hasMore: boolean; firstOlder: number | null };

function useAuditLog(roomId: string) {
  const [log, setLog] = useState<Log | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function load(before: number | undefined) {
    setLoading(true);
    try {
      const page = await auditPage(roomId, before, PAGE);
      setLog((shown) => ({
        entries: [...(before === undefined ? [] : (shown?.entries ?? [])), ...page.entries],
        hasMore: page.hasMore,
        firstOlder: before === undefined ? null : (page.entries[0]?.id ?? null),
      }));
      setError(null);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setLoading(false);
    }
  }
  // The first page, once per room.
  useEffect(() => {
    void load(undefined);
  }, [roomId]);
  const older = () => void load(log?.entries.at(-1)?.id);
  return { log, loading, error, older };
}

export function AuditLog({ room }: { room: RoomDetail }) {
  const { log, loading, error, older } = useAuditLog(room.id);
  const list = useRef<HTMLOListElement>(null);
  const firstOlder = log?.firstOlder;
  useEffect(() => {
    if (firstOlder) list.current?.querySelector<HTMLElement>(`[data-entry="${firstOlder}"]`)?.focus();
  }, [firstOlder]);
  const people = log?.entries.flatMap((entry) => [entry.actorId, entry.targetUserId ?? ""]) ?? [];
  const nameOf = useNames(people.filter(Boolean), room.members);
  return (
    <>
      {error && (
        <p class="form-error" role="alert">
          Could not load the audit log: {error}
        </p>
      )}
      {!log && !error && <p class="muted">Loading…</p>}
      {log?.entries.length === 0 && <p class="muted">Nothing has been done to anyone here yet.</p>}
      {log && log.entries.length > 0 && (
        <ol class="audit-log" aria-label="Audit log, newest first" ref={list}>
          {log.entries.map((entry) => (
            <li key={entry.id} data-entry={entry.id} tabIndex={-1}>
              <Sentence words={auditSentence(entry, nameOf)} /> ·{" "}
              <time dateTime={entry.at} title={new Date(entry.at).toLocaleString()}>
                {timeAgo(entry.at)}
              </time>
            </li>
          ))}
        </ol>
      )}
      {log?.hasMore && (
        <button type="button" class="show-older" onClick={older} disabled={loading}>
          {loading ? "Loading…" : "Show older"}
        </button>
      )}
    </>
  );
}
