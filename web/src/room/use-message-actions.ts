import { useCallback } from "preact/hooks";
import { answer, done } from "../api/answers";
import { api, roomParam } from "../api/client";
import type { Attachment, Message } from "../api/types";
import { showError } from "../components/Toasts";
import { browserStorage } from "../state/kept";
import { rememberEmoji } from "../state/recent-emoji";
import { newClientId, type PendingSend } from "../state/timeline";
import type { OpenRoom } from "./use-room";

// What we do to messages: send (shown at once as pending, confirmed by the socket; in a thread,
// or quoting another), retry or discard a send that failed, edit or delete over the API, react
// (over the socket while it is live, else the API), pin, and take a link preview off.

export type SendOptions = { threadSeq?: number; quote?: Message | null; attachments?: Attachment[] };

export function useMessageActions(room: OpenRoom, roomId: string) {
  const { dispatch, latest } = room;
  const { sendMessage, send: sendFrame } = room.socket;

  const send = useCallback(
    (body: string, options: SendOptions = {}) => {
      const { quote, attachments = [] } = options;
      const pending: PendingSend = {
        clientId: newClientId(),
        body,
        attachments,
        createdAt: new Date().toISOString(),
        status: "sending",
        ...(options.threadSeq !== undefined ? { threadSeq: options.threadSeq } : {}),
        ...(quote ? { quote: { seq: quote.seq, userId: quote.userId, body: quote.body.slice(0, 200) } } : {}),
      };
      dispatch({ type: "send", send: pending });
      sendMessage(pending);
    },
    [dispatch, sendMessage],
  );

  const retry = useCallback(
    (pending: PendingSend) => {
      dispatch({ type: "retry", clientId: pending.clientId });
      sendMessage(pending);
    },
    [dispatch, sendMessage],
  );

  const discard = useCallback(
    (pending: PendingSend) => dispatch({ type: "discard", clientId: pending.clientId }),
    [dispatch],
  );

  const edit = useCallback(
    async (message: Message, body: string) => {
      try {
        const edited = await answer(
          api.rooms[":roomId"].messages[":seq"].$patch({
            param: { ...roomParam(roomId), seq: message.seq },
            json: { body },
          }),
        );
        dispatch({ type: "changed", message: edited });
      } catch (error) {
        showError("Could not edit the message", error);
      }
    },
    [dispatch, roomId],
  );

  /** Deletes for everyone: the caller has asked first (RoomView's confirmation). */
  const remove = useCallback(
    async (message: Message) => {
      try {
        const deleted = await answer(
          api.rooms[":roomId"].messages[":seq"].$delete({
            param: { ...roomParam(roomId), seq: message.seq },
          }),
        );
        dispatch({ type: "changed", message: deleted });
      } catch (error) {
        showError("Could not delete the message", error);
      }
    },
    [dispatch, roomId],
  );

  /**
   * Adds or takes back our reaction. Over a live socket the room's `reaction` frame (which comes
   * back to us too) shows it; over the API, its 204 does, and we apply the same frame ourselves.
   */
  const react = useCallback(
    async (message: Message, emoji: string, on: boolean) => {
      const me = latest().me;
      if (on) rememberEmoji(browserStorage(), me, emoji);
      if (sendFrame({ type: "react", seq: message.seq, emoji, on })) return;
      const param = { ...roomParam(roomId), seq: message.seq, emoji: encodeURIComponent(emoji) };
      const reactions = api.rooms[":roomId"].messages[":seq"].reactions[":emoji"];
      try {
        await done(on ? reactions.$put({ param }) : reactions.$delete({ param }));
        const frame = { type: "reaction" as const, seq: message.seq, userId: me, emoji, on };
        dispatch({ type: "frame", frame, now: Date.now() });
      } catch (error) {
        showError(on ? "Could not add the reaction" : "Could not remove the reaction", error);
      }
    },
    [dispatch, latest, roomId, sendFrame],
  );

  /** Pins or unpins; everyone's timeline (ours too) hears of it as `message_updated`. */
  const pin = useCallback(
    async (message: Message, pinned: boolean) => {
      const param = { ...roomParam(roomId), seq: message.seq };
      const pins = api.rooms[":roomId"].pins[":seq"];
      try {
        await done(pinned ? pins.$put({ param }) : pins.$delete({ param }));
      } catch (error) {
        showError(pinned ? "Could not pin the message" : "Could not unpin the message", error);
      }
    },
    [roomId],
  );

  /** The author takes a link preview off their message. */
  const removePreview = useCallback(
    async (message: Message) => {
      try {
        const changed = await answer(
          api.rooms[":roomId"].messages[":seq"].preview.$delete({
            param: { ...roomParam(roomId), seq: message.seq },
          }),
        );
        dispatch({ type: "changed", message: changed });
      } catch (error) {
        showError("Could not remove the link preview", error);
      }
    },
    [dispatch, roomId],
  );

  return { send, retry, discard, edit, remove, react, pin, removePreview };
}
