import type { Sentence as Words } from "../state/sentence";

// A sentence about people (state/sentence.ts), with every name and typed text in its own <bdi>.

export function Sentence({ words }: { words: Words }) {
  return (
    <>
      {words.map((part, index) =>
        typeof part === "string" ? (
          part
        ) : (
          // The parts of one sentence never move, so their position is a stable key.
          <bdi key={index}>{part.typed}</bdi>
        ),
      )}
    </>
  );
}
