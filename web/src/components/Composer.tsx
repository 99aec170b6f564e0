import { useEffect, useRef, useState } from "preact/hooks";
import { characterCount, MAX_MESSAGE_CHARS, type Message } from "../api/types";

// Enter sends, Shift+Enter starts a new line. The character limit shows as it nears. While you
// type, the room hears "typing" (at most every 3 s), and "stopped" when you send or go quiet.

const TYPING_REPEAT_MS = 3000;
const TYPING_IDLE_MS = 4000;
const SHOW_COUNT_FROM = MAX_MESSAGE_CHARS - 500;

export function Composer(props: {
  roomName: string;
  editing: Message | null;
  onSend: (body: string) => void;
  onSaveEdit: (message: Message, body: string) => void;
  onCancelEdit: () => void;
  onTyping: (typing: boolean) => void;
}) {
  const [text, setText] = useState("");
  const input = useRef<HTMLTextAreaElement>(null);
  const typingSentAt = useRef(0);
  const idleTimer = useRef<ReturnType<typeof setTimeout>>();

  useEffect(() => {
    if (props.editing) {
      setText(props.editing.body);
      input.current?.focus();
    }
  }, [props.editing]);

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

  function submit() {
    if (empty || tooLong) return;
    stopTyping();
    if (props.editing) props.onSaveEdit(props.editing, text);
    else props.onSend(text);
    setText("");
  }

  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      {props.editing && (
        <div class="editing-bar">
          Editing your message ·{" "}
          <button
            type="button"
            class="link-button"
            onClick={() => {
              setText("");
              props.onCancelEdit();
            }}
          >
            Cancel (Esc)
          </button>
        </div>
      )}
      <div class="composer-row">
        <label for="composer-input" class="visually-hidden">
          Message {props.roomName}
        </label>
        <textarea
          id="composer-input"
          ref={input}
          rows={1}
          // A placeholder cannot hold a <bdi>: the Unicode isolates (FSI … PDI) do its work there.
          placeholder={`Message \u2068${props.roomName}\u2069`}
          value={text}
          aria-describedby="composer-hint"
          aria-invalid={tooLong}
          onInput={(event) => {
            setText(event.currentTarget.value);
            const now = Date.now();
            if (now - typingSentAt.current > TYPING_REPEAT_MS) {
              typingSentAt.current = now;
              props.onTyping(true);
            }
            clearTimeout(idleTimer.current);
            idleTimer.current = setTimeout(stopTyping, TYPING_IDLE_MS);
          }}
          onBlur={stopTyping}
          onKeyDown={(event) => {
            if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
              event.preventDefault();
              submit();
            } else if (event.key === "Escape" && props.editing) {
              setText("");
              props.onCancelEdit();
            }
          }}
        />
        <button type="submit" class="primary" disabled={empty || tooLong}>
          {props.editing ? "Save" : "Send"}
        </button>
      </div>
      <p id="composer-hint" class={tooLong ? "composer-hint over" : "composer-hint"}>
        {count >= SHOW_COUNT_FROM
          ? `${MAX_MESSAGE_CHARS - count} characters left`
          : "Enter to send · Shift+Enter for a new line"}
      </p>
    </form>
  );
}
