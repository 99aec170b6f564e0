/** True when a D1 write failed on a UNIQUE index (D1 and drizzle wrap SQLite's message in causes). */
export function isUniqueViolation(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (current.message.includes("UNIQUE constraint failed")) return true;
  }
  return false;
}

/** True when a D1 write failed on a FOREIGN KEY (e.g. a validly signed token of a deleted user). */
export function isForeignKeyViolation(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (current.message.includes("FOREIGN KEY constraint failed")) return true;
  }
  return false;
}
