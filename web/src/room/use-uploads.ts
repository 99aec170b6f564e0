import { useCallback, useReducer, useRef } from "preact/hooks";
import { MAX_ATTACHMENTS_PER_MESSAGE } from "../api/types";
import { type UploadHandle, uploadFile } from "../api/uploads";
import { showError } from "../components/Toasts";
import { newUpload, readyToSend, type Upload, uploadsReducer } from "../state/uploads";

// The composer's files: each one starts uploading as soon as it is chosen, dropped or pasted, so
// it is usually there by the time the message is written. A failed upload can be retried (its File
// is kept here) or removed; cancelling one aborts its request.

export type Uploads = {
  uploads: Upload[];
  add: (files: File[]) => void;
  cancel: (localId: string) => void;
  retry: (localId: string) => void;
  remove: (localId: string) => void;
  /** The files are in a message now: clear them from the tray. */
  sent: (localIds: string[]) => void;
  ready: ReturnType<typeof readyToSend>;
};

export function useUploads(roomId: string): Uploads {
  const [uploads, dispatch] = useReducer(uploadsReducer, []);
  const files = useRef(new Map<string, File>());
  const running = useRef(new Map<string, UploadHandle>());
  const count = useRef(0);
  count.current = uploads.length;

  const start = useCallback(
    (localId: string, file: File) => {
      const handle = uploadFile(roomId, file, (progress) =>
        dispatch({ type: "progress", localId, progress }),
      );
      running.current.set(localId, handle);
      handle.done
        .then((attachment) => dispatch({ type: "done", localId, attachment }))
        .catch((error: unknown) => {
          if (!running.current.has(localId)) return; // cancelled: already removed
          dispatch({
            type: "failed",
            localId,
            error: error instanceof Error ? error.message : String(error),
          });
        })
        .finally(() => running.current.delete(localId));
    },
    [roomId],
  );

  const add = useCallback(
    (chosen: File[]) => {
      const room = MAX_ATTACHMENTS_PER_MESSAGE - count.current;
      if (chosen.length > room)
        showError(
          `At most ${MAX_ATTACHMENTS_PER_MESSAGE} files a message`,
          new Error(`${chosen.length - Math.max(room, 0)} left out.`),
        );
      const taken = chosen.slice(0, Math.max(room, 0)).map((file) => ({ file, upload: newUpload(file) }));
      if (taken.length === 0) return;
      dispatch({ type: "added", uploads: taken.map((each) => each.upload) });
      for (const { file, upload } of taken) {
        files.current.set(upload.localId, file);
        start(upload.localId, file);
      }
    },
    [start],
  );

  const forget = (localId: string) => {
    const handle = running.current.get(localId);
    running.current.delete(localId);
    handle?.cancel();
    files.current.delete(localId);
  };

  const cancel = useCallback((localId: string) => {
    forget(localId);
    dispatch({ type: "removed", localId });
  }, []);

  const retry = useCallback(
    (localId: string) => {
      const file = files.current.get(localId);
      if (!file) return;
      dispatch({ type: "retried", localId });
      start(localId, file);
    },
    [start],
  );

  const sent = useCallback((localIds: string[]) => {
    for (const localId of localIds) files.current.delete(localId);
    dispatch({ type: "sent", localIds });
  }, []);

  return { uploads, add, cancel, retry, remove: cancel, sent, ready: readyToSend(uploads) };
}
