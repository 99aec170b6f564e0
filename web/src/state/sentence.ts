// A sentence the client says about people: "Ann banned Ben (spam)", "Ann is typing…". Names and
// other text that people typed (a reason, a room's new name) are kept apart from the words around
// them, so the screen can render each one isolated (<bdi>, see components/Sentence.tsx): a name in
// Arabic or Hebrew then cannot reorder the rest of an English sentence (API.md "Safety rules").

/** Words of the client's own, or text someone typed (`{ typed }`), shown isolated. */
export type Part = string | { typed: string };
export type Sentence = Part[];

/** The sentence as plain text: for tests, labels and anything that is not rendered as elements. */
export function sentenceText(sentence: Sentence): string {
  return sentence.map((part) => (typeof part === "string" ? part : part.typed)).join("");
}

/** "Ann", "Ann and Ben", "Ann, Ben and Cy". */
export function namesList(names: string[]): Sentence {
  const parts: Sentence = [];
  names.forEach((name, index) => {
    if (index > 0) parts.push(index === names.length - 1 ? " and " : ", ");
    parts.push({ typed: name });
  });
  return parts;
}
