/** True when a D1 write failed on a UNIQUE index (D1 and drizzle wrap SQLite's message in causes). */
export function isUniqueViolation(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (current.message.includes("UNIQUE constraint failed")) return true;
  }
  return false;
}
