import unhomoglyph from "unhomoglyph";

// Usernames that look alike are one name (API.md "Names people see"): "alice" and "aIice", "bob1"
// and "bobl", "rnary" and "mary" cannot both be taken, so nobody can pose as somebody else.
//
// The look-alike key folds case and the confusables of Unicode's UTS #39 (confusables.txt, through
// the unhomoglyph package's skeleton: 0→O, 1→l, I→l, m→rn, …). The two must fold *together*:
// case says I = i and the skeleton says I = l, so i = l as well, else "hbxi" and "hbxI" would differ
// while "hbxI" and "hbxl" collide. Neither folding applied first gives that (the skeleton keeps i and
// l apart, lower-casing keeps 1 and l apart), so the key is built from the equivalence classes of
// both relations together over the username alphabet (union-find), each class written as one
// representative. Usernames are ASCII (`a-z A-Z 0-9 _ . -`), and for ASCII the skeleton works one
// character at a time, so the key of a name is the keys of its characters, in order.
//
// migrations/*_safety_auth.sql computes the same key in SQL for the accounts that existed before;
// test/worker/lookalike.test.ts checks that the two agree on every character.

export const USERNAME_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-";

function buildKeys(): Map<string, string> {
  const parent = new Map<string, string>();
  const find = (char: string): string => {
    let root = char;
    while (parent.get(root) !== root) root = parent.get(root) ?? root;
    return root;
  };
  const union = (a: string, b: string) => {
    for (const char of [a, b]) if (!parent.has(char)) parent.set(char, char);
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  };
  // Characters whose skeleton is a sequence (m → rn) are written as that sequence.
  const expansions = new Map<string, string>();
  for (const char of USERNAME_ALPHABET) {
    union(char, char.toLowerCase());
    union(char, char.toUpperCase());
    const skeleton = unhomoglyph(char);
    if ([...skeleton].length === 1) union(char, skeleton);
    else expansions.set(char, skeleton);
  }
  const members = new Map<string, string[]>();
  for (const char of parent.keys()) members.set(find(char), [...(members.get(find(char)) ?? []), char]);

  const keys = new Map<string, string>();
  const keyOf = (char: string, seen: Set<string>): string => {
    const known = keys.get(char);
    if (known !== undefined) return known;
    if (seen.has(char)) throw new Error(`look-alike classes loop through "${char}"`);
    const root = find(char);
    const group = members.get(root) ?? [char];
    const expanded = group.map((member) => expansions.get(member)).find((value) => value !== undefined);
    // A class is written as its expansion (each of its characters by its own key), else as its
    // smallest lower-case member (or smallest member): readable, and the same on every run.
    const key = expanded
      ? [...expanded].map((part) => keyOf(part, new Set([...seen, char]))).join("")
      : ([...group].filter((member) => member !== member.toUpperCase()).sort()[0] ??
        [...group].sort()[0] ??
        char);
    for (const member of group) keys.set(member, key);
    return key;
  };
  for (const char of USERNAME_ALPHABET) keyOf(char, new Set());
  return keys;
}

let keys: Map<string, string> | undefined;

/** The look-alike key of a username: equal for names that look alike, e.g. "hbxI", "hbxl", "hbx1", "HBXL". */
export function lookalikeKey(username: string): string {
  // Built on first use: the skeleton's table is large, and only sign-ups need it.
  keys ??= buildKeys();
  let key = "";
  for (const char of username) key += keys.get(char) ?? char;
  return key;
}

/** Every character whose key is not itself, with its key: what the SQL backfill must replace. */
export function lookalikeReplacements(): [string, string][] {
  keys ??= buildKeys();
  return [...keys].filter(([char, key]) => char !== key).sort();
}
