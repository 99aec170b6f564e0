import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { describeError } from "../format";

// A list the room settings show (bans, mutes, reports): fetched when shown, again when `key`
// changes (another room, a new report) and after we changed it (reload). A refusal is kept as text
// for the panel to say; an answer that arrives after the panel moved on is dropped.

export type Fetched<T> = { value: T | null; error: string | null; reload: () => void };

export function useFetched<T>(key: string, load: () => Promise<T>): Fetched<T> {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const loader = useRef(load);
  loader.current = load;

  useEffect(() => {
    let current = true;
    loader
      .current()
      .then((loaded) => {
        if (!current) return;
        setValue(loaded);
        setError(null);
      })
      .catch((failure) => {
        if (current) setError(describeError(failure));
      });
    return () => {
      current = false;
    };
  }, [key, round]);

  const reload = useCallback(() => setRound((count) => count + 1), []);
  return { value, error, reload };
}
