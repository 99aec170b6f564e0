import { useCallback } from "preact/hooks";
import { answer } from "../api/answers";
import { api, roomParam } from "../api/client";
import type { Message } from "../api/types";
import { showError } from "../components/Toasts";
import { newClientId, type PendingSend } from "../state/timeline";
import type { OpenRoom } from "./use-room";

// What we do to messages: send (shown at once as pending, confirmed by the socket), retry or
// discard a send that failed, and edit or delete a message over the API.

export function useMessageActions(room: OpenRoom, roomId: string) {
  const { dispatch } = room;
  const { sendMessage } = room.socket;

  const send = useCallback(
    (body: string) => {
      const pending: PendingSend = {
        clientId: newClientId(),
        body,
        createdAt: new Date().toISOString(),
        status: "sending",
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

  return { send, retry, discard, edit, remove };
}
