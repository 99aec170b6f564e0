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
