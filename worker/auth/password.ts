import { fromBase64Url, toBase64Url } from "./base64url";

// Password hashing with PBKDF2-SHA256 from WebCrypto: no native module, the same code in workerd locally and on Cloudflare.
// 100,000 iterations is the most Cloudflare Workers allow for PBKDF2.
//
// Stored as a PHC-style string that names its own algorithm and cost, so the cost can rise later
// without breaking existing hashes:  $pbkdf2-sha256$v=1$i=100000$<salt b64url>$<hash b64url>

const ALGORITHM = "pbkdf2-sha256";
const VERSION = 1;
const ITERATIONS = 100_000;
const SALT_BYTES = 16;
const HASH_BITS = 256;

const encoder = new TextEncoder();

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations },
    key,
    HASH_BITS,
  );
  return new Uint8Array(bits);
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, salt, ITERATIONS);
  return `$${ALGORITHM}$v=${VERSION}$i=${ITERATIONS}$${toBase64Url(salt)}$${toBase64Url(hash)}`;
}

type ParsedHash = { iterations: number; salt: Uint8Array; hash: Uint8Array };

function parseHash(stored: string): ParsedHash | null {
  const match = /^\$pbkdf2-sha256\$v=1\$i=(\d+)\$([\w-]+)\$([\w-]+)$/.exec(stored);
  if (!match) return null;
  const iterations = Number(match[1]);
  if (!Number.isSafeInteger(iterations) || iterations < 1 || iterations > ITERATIONS) return null;
  return { iterations, salt: fromBase64Url(match[2] ?? ""), hash: fromBase64Url(match[3] ?? "") };
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const candidate = await derive(password, parsed.salt, parsed.iterations);
  // Constant time: how long the comparison takes says nothing about where the bytes differ.
  return (
    candidate.byteLength === parsed.hash.byteLength && crypto.subtle.timingSafeEqual(candidate, parsed.hash)
  );
}

let decoyHash: Promise<string> | undefined;

/**
 * Spend the same time as a real check when the username does not exist, so response timing
 * cannot tell "no such user" from "wrong password".
 */
export async function verifyAgainstDecoy(password: string): Promise<false> {
  decoyHash ??= hashPassword(crypto.randomUUID());
  await verifyPassword(password, await decoyHash);
  return false;
}
