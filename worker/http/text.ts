import { z } from "@hono/zod-openapi";
import { characterCount } from "../protocol/limits";

// String rules shared by the schemas. Free of Worker types, so the web client can import the
// schemas' inferred types too.

/** A string of min..max characters. */
export function text(min: number, max: number) {
  const rule = min === 0 ? `at most ${max}` : `${min} to ${max}`;
  return z.string().refine((value) => {
    const length = characterCount(value);
    return length >= min && length <= max;
  }, `must be ${rule} characters`);
}

/** A string of min..max characters with at least one that is not white space. */
export function visibleText(min: number, max: number) {
  return text(min, max).refine((value) => value.trim().length > 0, "must not be blank");
}
