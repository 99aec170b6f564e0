import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { toBase64Url } from "../auth/base64url";

// Capability URLs for files: `/api/files/<key>?expires=<unix s>&signature=<HMAC>`. Whoever holds
// one may fetch that one file until it expires, without a bearer token (an <img> cannot send one).
// The room hands them out only to members (in history pages and broadcasts), freshly signed each
// time, so a removed member's old URLs stop working once they expire.
//
// Signing is synchronous (noble-hashes, not WebCrypto): a room presents messages inside its one
// synchronous send → store → broadcast turn, and an await there would let other events interleave.
// The key is derived from JWT_SECRET, so no second secret has to be managed, and no token made for
// one purpose is valid for the other.
//
// Expiry is rounded up to a quarter of the TTL: every message presented in that window carries the
// very same URL, so browsers reuse what they cached, and each URL is signed once per window.

const encoder = new TextEncoder();
const SIGNATURE_BYTES = 16;

export type Verdict = "valid" | "expired" | "invalid";

export class UrlSigner {
  private readonly key: Uint8Array;
  private readonly recent = new Map<string, string>();

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
  ) {
    this.key = hmac(sha256, encoder.encode("hubbub file urls v1"), encoder.encode(secret));
  }

  /** `path` (e.g. /api/files/rooms/…/file) with its expiry and signature. */
  sign(path: string, now = Date.now()): string {
    const window = Math.max(1, Math.floor(this.ttlSeconds / 4));
    const expires = Math.ceil((now / 1000 + this.ttlSeconds) / window) * window;
    const cacheKey = `${path}\n${expires}`;
    let url = this.recent.get(cacheKey);
    if (!url) {
      url = `${path}?expires=${expires}&signature=${this.signature(path, expires)}`;
      if (this.recent.size > 2000) this.recent.clear(); // a cache of this window's URLs, nothing more
      this.recent.set(cacheKey, url);
    }
    return url;
  }

  verify(
    path: string,
    expires: string | undefined,
    signature: string | undefined,
    now = Date.now(),
  ): Verdict {
    if (!expires || !signature || !/^\d{1,12}$/.test(expires)) return "invalid";
    // The text itself is compared, not what it decodes to: base64's last character carries spare
    // bits, so several spellings decode to the same bytes, and only the one we wrote is ours.
    const expected = this.signature(path, Number(expires));
    if (!sameBytes(encoder.encode(signature), encoder.encode(expected))) return "invalid";
    return Number(expires) * 1000 < now ? "expired" : "valid";
  }

  private signature(path: string, expires: number): string {
    const mac = hmac(sha256, this.key, encoder.encode(`${path}\n${expires}`));
    return toBase64Url(mac.slice(0, SIGNATURE_BYTES));
  }
}

/** Compares in time that does not depend on where the bytes differ. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return difference === 0;
}

const signers = new WeakMap<object, UrlSigner>();

/** One signer per Worker environment (its key derivation is done once). */
export function urlSigner(env: Env): UrlSigner {
  let signer = signers.get(env);
  if (!signer) {
    const ttl = Number(env.ATTACHMENT_URL_TTL_S);
    signer = new UrlSigner(env.JWT_SECRET, Number.isSafeInteger(ttl) && ttl > 0 ? ttl : 3600);
    signers.set(env, signer);
  }
  return signer;
}
