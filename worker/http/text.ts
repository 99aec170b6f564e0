import { z } from "@hono/zod-openapi";
import { characterCount } from "../protocol/limits";

// String rules shared by the schemas. Free of Worker types, so the web client can import the
// schemas' inferred types too.

// The rules are refinements, so that their messages stay ours and lengths count characters as
// people do (code points, see characterCount). A refinement is invisible to the OpenAPI document, so
// each rule also states itself there: minLength and maxLength count code points in JSON Schema too,
// and the pattern \S ("some character that is not white space") is exactly what trim() keeps.

/** A string of min..max characters. */
export function text(min: number, max: number) {
  const rule = min === 0 ? `at most ${max}` : `${min} to ${max}`;
  return z
    .string()
    .refine((value) => {
      const length = characterCount(value);
      return length >= min && length <= max;
    }, `must be ${rule} characters`)
    .openapi(min === 0 ? { maxLength: max } : { minLength: min, maxLength: max });
}

/** A string of min..max characters with at least one that is not white space. */
export function visibleText(min: number, max: number) {
  return text(min, max)
    .refine((value) => value.trim().length > 0, "must not be blank")
    .openapi({ minLength: min, maxLength: max, pattern: "\\S" });
}

// Names people see (display names, room names, topics) must show what they say: no control
// characters (Cc), no invisible format characters (Cf: zero-width spaces and joiners, soft hyphens…)
// and in particular no bidirectional overrides or isolates (U+202A–U+202E, U+2066–U+2069), which can
// make a name read backwards or hide what follows it; and something readable, a letter or a digit.
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/u;
const CONTROL = /\p{Cc}/u;
const FORMAT = /\p{Cf}/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

function shownRules<T extends z.ZodString | z.ZodType<string>>(schema: T, mayBeEmpty: boolean) {
  return schema
    .refine(
      (value) => !BIDI_CONTROL.test(value),
      "must not contain bidirectional override or isolate characters (U+202A–U+202E, U+2066–U+2069)",
    )
    .refine((value) => !CONTROL.test(value), "must not contain control characters (such as line breaks)")
    .refine(
      (value) => !FORMAT.test(value),
      "must not contain invisible format characters (such as zero-width spaces or joiners)",
    )
    .refine(
      (value) => (mayBeEmpty && value === "") || LETTER_OR_DIGIT.test(value),
      "must contain a letter or a digit",
    );
}

/** A name people see: min..max characters, not blank, readable (see above). */
export function shownName(min: number, max: number) {
  return shownRules(visibleText(min, max), false);
}

/** Text people see beside a name (a topic): at most max characters, empty or readable. */
export function shownText(max: number) {
  return shownRules(text(0, max), true);
}
