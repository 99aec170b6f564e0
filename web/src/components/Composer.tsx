import { useEffect, useId, useRef, useState } from "preact/hooks";
import { type Attachment, characterCount, MAX_MESSAGE_CHARS, type Member, type Message } from "../api/types";
import { useMentionSuggestions } from "../room/use-mention-suggestions";
import type { Uploads } from "../room/use-uploads";
import { loadDraft, saveDraft } from "../state/drafts";
import { browserStorage } from "../state/kept";
import { Icon } from "./Icon";
import { MentionList } from "./MentionList";
import { UploadTray } from "./UploadTray";

// Enter sends, Shift+Enter starts a new line. The character limit shows as it nears. While you
// type, the room hears "typing" (at most every 3 s), and "stopped" when you send or go quiet.
// What you type is kept as a draft for this room (or thread) in the browser until you send it;
// `@` offers the room's members; "Reply" shows what you quote above the box.
// Files (where `uploads` is given) come by the paperclip button, by pasting, or by dropping them on
// the room (RoomView); they upload at once, and the message goes when they all have (its text may
// then be empty).

const TYPING_REPEAT_MS = 3000;
const TYPING_IDLE_MS = 4000;
const SHOW_COUNT_FROM = MAX_MESSAGE_CHARS - 500;

export type ComposerProps = {
  /** The textarea's id and its accessible name, e.g. "Message # general" or "Reply in thread". */
  inputId: string;
  label: string;
  /** What the empty box shows, if not the label (a room's name wrapped in Unicode isolates). */
  placeholder?: string;
  /** Where the draft is kept (state/drafts.ts draftPlace) and for whom. */
  draftPlace: string;
  me: string;
  members: Member[];
  canMentionRoom: boolean;
  editing?: Message | null;
  /** The message a reply quotes, shown above the box until sent or cancelled. */
  quoting?: Message | null;
  nameOf: (userId: string) => string;
  onSend: (body: string, attachments: Attachment[]) => void;
  /** The room's uploads; without them (a thread's composer) the box takes no files. */
  uploads?: Uploads;
  onSaveEdit?: (message: Message, body: string) => void;
  onCancelEdit?: () => void;
  onCancelQuote?: () => void;
  onTyping: (typing: boolean) => void;
};

export function Composer(props: ComposerProps) {
  const storage = browserStorage();
  const [text, setText] = useState(() => loadDraft(storage, props.me, props.draftPlace));
  const input = useRef<HTMLTextAreaElement>(null);
  const typingSentAt = useRef(0);
  const idleTimer = useRef<ReturnType<typeof setTimeout>>();
  const hintId = useId();
  const listId = useId();
  const editing = props.editing ?? null;

  const write = (next: string) => {
    setText(next);
    if (!editing) saveDraft(storage, props.me, props.draftPlace, next);
  };
  const mentions = useMentionSuggestions({
    members: props.members,
    me: props.me,
    canMentionRoom: props.canMentionRoom,
    replace: (next, caret) => {
      write(next);
      requestAnimationFrame(() => input.current?.setSelectionRange(caret, caret));
    },
  });

  // Another room or thread: its own draft.
  useEffect(() => {
    setText(loadDraft(storage, props.me, props.draftPlace));
  }, [props.draftPlace, props.me]);

  useEffect(() => {
    if (editing) {
      setText(editing.body);
      input.current?.focus();
    }
  }, [editing]);

  useEffect(() => {
    if (props.quoting) input.current?.focus();
  }, [props.quoting]);

  useEffect(() => {
    const element = input.current;
    if (!element) return;
    element.style.height = "auto";
    element.style.height = `${Math.min(element.scrollHeight, 200)}px`;
  }, [text]);

  const stopTyping = () => {
    clearTimeout(idleTimer.current);
    if (typingSentAt.current) {
      typingSentAt.current = 0;
      props.onTyping(false);
    }
  };

  const count = characterCount(text);
  const tooLong = count > MAX_MESSAGE_CHARS;
  const empty = text.trim().length === 0;
  const uploads = props.uploads?.uploads ?? [];
  const ready = props.uploads?.ready ?? { attachments: [], ready: true };
  const files = editing ? [] : ready.attachments;
  const blocked = tooLong || (empty && files.length === 0) || (!editing && !ready.ready);
  const picker = useRef<HTMLInputElement>(null);

  function submit() {
    if (blocked) return;
    stopTyping();
    if (editing) {
      props.onSaveEdit?.(editing, text);
      setText(loadDraft(storage, props.me, props.draftPlace));
      return;
    }
    props.onSend(empty ? "" : text, files);
    props.uploads?.sent(uploads.map((upload) => upload.localId));
    write("");
  }

  function cancelEdit() {
    setText(loadDraft(storage, props.me, props.draftPlace));
    props.onCancelEdit?.();
  }

  const listOpen = mentions.candidates.length > 0;
  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      {editing && (
        <div class="editing-bar">
          Editing your message ·{" "}
          <button type="button" class="link-button" onClick={cancelEdit}>
            Cancel (Esc)
          </button>
        </div>
      )}
      {props.quoting && !editing && (
        <div class="quoting-bar">
          <span class="quoting-text">
            Replying to <bdi>{props.nameOf(props.quoting.userId)}</bdi>:{" "}
            <span class="muted">{props.quoting.body.slice(0, 200)}</span>
          </span>
          <button
            type="button"
            class="icon-button"
            aria-label="Cancel the reply"
            onClick={() => props.onCancelQuote?.()}
          >
            ✕
          </button>
        </div>
      )}
      {props.uploads && (
        <UploadTray uploads={uploads} onCancel={props.uploads.cancel} onRetry={props.uploads.retry} />
      )}
      <div class="composer-row">
        {props.uploads && !editing && (
          <>
            <button
              type="button"
              class="attach-button icon-button"
              aria-label="Attach files"
              title="Attach files"
              onClick={() => picker.current?.click()}
            >
              <PaperclipIcon />
            </button>
            <input
              ref={picker}
              type="file"
              multiple
              class="visually-hidden"
              tabIndex={-1}
              aria-hidden="true"
              data-testid="file-picker"
              onChange={(event) => {
                props.uploads?.add([...(event.currentTarget.files ?? [])]);
                event.currentTarget.value = "";
              }}
            />
          </>
        )}
        <label for={props.inputId} class="visually-hidden">
          {props.label}
        </label>
        {listOpen && (
          <MentionList
            id={listId}
            candidates={mentions.candidates}
            active={mentions.active}
            onChoose={mentions.choose}
            onHover={mentions.setActive}
          />
        )}
        <textarea
          id={props.inputId}
          ref={input}
          rows={1}
          placeholder={props.placeholder ?? props.label}
          value={text}
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={listOpen}
          aria-controls={listOpen ? listId : undefined}
          aria-activedescendant={listOpen ? `${listId}-${mentions.active}` : undefined}
          aria-describedby={hintId}
          aria-invalid={tooLong}
          onInput={(event) => {
            const element = event.currentTarget;
            write(element.value);
            mentions.update(element.value, element.selectionStart);
            const now = Date.now();
            if (now - typingSentAt.current > TYPING_REPEAT_MS) {
              typingSentAt.current = now;
              props.onTyping(true);
            }
            clearTimeout(idleTimer.current);
            idleTimer.current = setTimeout(stopTyping, TYPING_IDLE_MS);
          }}
          onKeyUp={(event) => {
            if (event.key.startsWith("Arrow") && !listOpen)
              mentions.update(event.currentTarget.value, event.currentTarget.selectionStart);
          }}
          onClick={(event) => mentions.update(event.currentTarget.value, event.currentTarget.selectionStart)}
          onBlur={() => {
            stopTyping();
            mentions.update("", 0);
          }}
          onPaste={(event) => {
            const pasted = [...(event.clipboardData?.files ?? [])];
            if (pasted.length === 0 || editing || !props.uploads) return; // text pastes as text
            event.preventDefault();
            props.uploads.add(pasted);
          }}
          onKeyDown={(event) => {
            if (mentions.onKey(event)) return;
            if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
              event.preventDefault();
              submit();
            } else if (event.key === "Escape" && editing) {
              cancelEdit();
            } else if (event.key === "Escape" && props.quoting) {
              props.onCancelQuote?.();
            }
          }}
        />
        <button type="submit" class="primary" disabled={blocked}>
          {editing ? "Save" : "Send"}
        </button>
      </div>
      <p id={hintId} class={tooLong ? "composer-hint over" : "composer-hint"}>
        {count >= SHOW_COUNT_FROM
          ? `${MAX_MESSAGE_CHARS - count} characters left`
          : "Enter to send · Shift+Enter for a new line · @ to mention · *bold* _italic_ `code`"}
      </p>
    </form>
  );
}

/** Drawn, not the 📎 emoji: a browser without an emoji font showed an empty box. */
function PaperclipIcon() {
  return (
    <Icon size={18}>
      <path d="M21 11.5l-8.6 8.6a5.5 5.5 0 0 1-7.8-7.8l8.6-8.6a3.7 3.7 0 0 1 5.2 5.2l-8.6 8.6a1.8 1.8 0 0 1-2.6-2.6l8-8" />
    </Icon>
  );
}
