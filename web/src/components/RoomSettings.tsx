import { useRef, useState } from "preact/hooks";
import { bans, endMute, liftBan, mutes } from "../api/moderation";
import type { Ban, Member, Message, Mute, RoomDetail } from "../api/types";
import { momentLabel, timeAgo } from "../format";
import { useNames } from "../people/names";
import { useFetched } from "../room/use-fetched";
import type { Sentence as Words } from "../state/sentence";
import { AuditLog } from "./AuditLog";
import { Dialog } from "./Dialog";
import { ReportList } from "./ReportList";
import { Sentence } from "./Sentence";
import { type Tab, Tabs } from "./Tabs";

// A room's settings, for its owners and admins (never in a direct room): reports of messages, the
// bans and mutes in force (each with a way to end it), and the audit log of who did what. Each tab
// fetches its list when shown, so switching tabs is also how a list is brought up to date.

type SettingsTab = "reports" | "bans" | "mutes" | "audit";

const TABS: Tab<SettingsTab>[] = [
  { key: "reports", label: "Reports" },
  { key: "bans", label: "Bans" },
  { key: "mutes", label: "Mutes" },
  { key: "audit", label: "Audit log" },
];

export function RoomSettings(props: {
  room: RoomDetail;
  /** The messages the timeline holds: a reported one among them can be shown in place. */
  messages: Message[];
  /** Grows with every report frame for this room, so the list of reports follows them. */
  reportCount: number;
  onShowMessage: (seq: number) => void;
  onClose: () => void;
}) {
  const { room } = props;
  const [tab, setTab] = useState<SettingsTab>("reports");
  const panel = useRef<HTMLDivElement>(null);
  const focusPanel = () => panel.current?.focus();
  return (
    <Dialog title="Room settings" wide onClose={props.onClose}>
      <p class="muted dialog-intro">
        Moderation of # <bdi>{room.name}</bdi>, for its owner and admins.
      </p>
      <Tabs label="Room settings" tabs={TABS} selected={tab} onSelect={setTab} panelRef={panel}>
        {tab === "reports" && (
          <ReportList
            room={room}
            messages={props.messages}
            reportCount={props.reportCount}
            onShowMessage={props.onShowMessage}
          />
        )}
        {tab === "bans" && <BanList room={room} onRowGone={focusPanel} />}
        {tab === "mutes" && <MuteList room={room} onRowGone={focusPanel} />}
        {tab === "audit" && <AuditLog room={room} />}
      </Tabs>
    </Dialog>
  );
}

type ListProps = { room: RoomDetail; onRowGone: () => void };

/** Ends a ban or a mute, then says so in the panel (a toast behind the dialog would not be heard). */
function useEnding(reload: () => void, onRowGone: () => void) {
  const [status, setStatus] = useState<Words>([]);
  async function end(call: () => Promise<void>, ended: Words, failed: Words) {
    try {
      await call();
      setStatus(ended);
      onRowGone();
      reload();
    } catch (error) {
      setStatus([...failed, `: ${error instanceof Error ? error.message : String(error)}`]);
    }
  }
  return { status, end };
}

function BanList({ room, onRowGone }: ListProps) {
  const list = useFetched(`bans:${room.id}`, () => bans(room.id));
  const nameOf = useNames(list.value?.map((ban) => ban.byUserId) ?? [], room.members);
  const ending = useEnding(list.reload, onRowGone);
  return (
    <ModerationList
      what="bans"
      empty="Nobody is banned from this room."
      error={list.error}
      status={ending.status}
      rows={list.value?.map((ban) => (
        <li key={ban.userId}>
          <PersonLine person={ban} detail={banDetail(ban, nameOf)} />
          <button
            type="button"
            aria-label={`Lift the ban on ${ban.displayName}`}
            onClick={() => {
              const name = { typed: ban.displayName };
              void ending.end(
                () => liftBan(room.id, ban.userId),
                ["The ban on ", name, " is lifted."],
                ["Could not lift the ban on ", name],
              );
            }}
          >
            Lift ban
          </button>
        </li>
      ))}
    />
  );
}

function banDetail(ban: Ban, nameOf: (userId: string) => string): Words {
  const until = ban.until ? `until ${momentLabel(ban.until)}` : "until lifted";
  const reason: Words = ban.reason ? [" · “", { typed: ban.reason }, "”"] : [];
  return ["by ", { typed: nameOf(ban.byUserId) }, `, ${timeAgo(ban.createdAt)} · ${until}`, ...reason];
}

function MuteList({ room, onRowGone }: ListProps) {
  const list = useFetched(`mutes:${room.id}`, () => mutes(room.id));
  const nameOf = useNames(list.value?.map((mute) => mute.byUserId) ?? [], room.members);
  const ending = useEnding(list.reload, onRowGone);
  return (
    <ModerationList
      what="mutes"
      empty="Nobody is muted in this room."
      error={list.error}
      status={ending.status}
      rows={list.value?.map((mute) => (
        <li key={mute.userId}>
          <PersonLine person={mute} detail={muteDetail(mute, nameOf)} />
          <button
            type="button"
            aria-label={`End the mute of ${mute.displayName}`}
            onClick={() => {
              const name = { typed: mute.displayName };
              void ending.end(
                () => endMute(room.id, mute.userId),
                ["The mute of ", name, " has ended."],
                ["Could not end the mute of ", name],
              );
            }}
          >
            End mute
          </button>
        </li>
      ))}
    />
  );
}

function muteDetail(mute: Mute, nameOf: (userId: string) => string): Words {
  return [
    "by ",
    { typed: nameOf(mute.byUserId) },
    `, ${timeAgo(mute.createdAt)} · until ${momentLabel(mute.until)}`,
  ];
}

function PersonLine(props: { person: Pick<Member, "username" | "displayName">; detail: Words }) {
  return (
    <span class="pick-text">
      <strong>
        <bdi>{props.person.displayName}</bdi> <span class="muted">@{props.person.username}</span>
      </strong>
      <span class="muted">
        <Sentence words={props.detail} />
      </span>
    </span>
  );
}

/** A list of the settings: loading, empty, refused, or its rows; and what was just done to it. */
export function ModerationList(props: {
  what: string;
  empty: string;
  error: string | null;
  status?: Words;
  rows: preact.JSX.Element[] | undefined;
}) {
  return (
    <>
      {props.error && (
        <p class="form-error" role="alert">
          Could not load the {props.what}: {props.error}
        </p>
      )}
      {!props.error && props.rows === undefined && <p class="muted">Loading…</p>}
      {props.rows?.length === 0 && <p class="muted">{props.empty}</p>}
      {props.rows && props.rows.length > 0 && <ul class="pick-list moderation-list">{props.rows}</ul>}
      <p class="status" role="status">
        <Sentence words={props.status ?? []} />
      </p>
    </>
  );
}
