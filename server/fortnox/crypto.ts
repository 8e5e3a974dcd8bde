// AES-256-GCM encryption of Fortnox tokens at rest. The key version travels with every ciphertext
// ("v2:<iv>:<tag>:<ct>") so keys can rotate: new writes use the current key, old rows still decrypt
// with a previous one and are re-encrypted on their next save.

import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

export interface VersionedKey {
  version: number;
  key: Buffer;
}

export interface TokenCipherKeys {
  current: VersionedKey;
  previous?: VersionedKey[];
}

export type TokenDecryptProblem = "format" | "unknown_key_version" | "tampered";

export class TokenDecryptError extends Error {
  override name = "TokenDecryptError";
  constructor(readonly problem: TokenDecryptProblem) {
    super(`token decryption failed: ${problem}`);
  }
}

export interface TokenCipher {
  readonly currentVersion: number;
  /** `aad` binds the ciphertext to its row (e.g. the connection id): a copy to another row fails. */
  encrypt(plaintext: string, aad?: string): string;
  decrypt(encoded: string, aad?: string): string;
  /** True when the value was written with an older key and should be re-encrypted. */
  needsReencrypt(encoded: string): boolean;
}

const IV_BYTES = 12; // GCM's standard nonce; random per encryption
const FORMAT = /^v(\d+):([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]*)$/;

function checkKey(k: VersionedKey) {
  if (!Number.isSafeInteger(k.version) || k.version < 1) throw new RangeError("key version must be a positive integer");
  if (!Buffer.isBuffer(k.key) || k.key.length !== 32) throw new RangeError(`key v${k.version} must be 32 bytes`);
}

export function createTokenCipher(keys: TokenCipherKeys): TokenCipher {
  const byVersion = new Map<number, Buffer>();
  for (const k of [keys.current, ...(keys.previous ?? [])]) {
    checkKey(k);
    const seen = byVersion.get(k.version);
    if (seen && !seen.equals(k.key)) throw new RangeError(`two different keys for version ${k.version}`);
    byVersion.set(k.version, k.key);
  }
  const current = keys.current;
  // The version is authenticated too, so it cannot be swapped to another key's label.
  const aadOf = (version: number, aad?: string) => Buffer.from(`fortnox-token:v${version}:${aad ?? ""}`, "utf8");

  return {
    currentVersion: current.version,
    encrypt(plaintext, aad) {
      const iv = randomBytes(IV_BYTES);
      const c = createCipheriv("aes-256-gcm", current.key, iv);
      c.setAAD(aadOf(current.version, aad));
      const ct = Buffer.concat([c.update(plaintext, "utf8"), c.final()]);
      const tag = c.getAuthTag();
      return `v${current.version}:${iv.toString("base64")}:${tag.toString("base64")}:${ct.toString("base64")}`;
    },
    decrypt(encoded, aad) {
      const m = FORMAT.exec(encoded);
      if (!m) throw new TokenDecryptError("format");
      const version = Number(m[1]);
      const key = byVersion.get(version);
      if (!key) throw new TokenDecryptError("unknown_key_version");
      const iv = Buffer.from(m[2], "base64");
      const tag = Buffer.from(m[3], "base64");
      if (iv.length !== IV_BYTES || tag.length !== 16) throw new TokenDecryptError("format");
      try {
        const d = createDecipheriv("aes-256-gcm", key, iv);
        d.setAAD(aadOf(version, aad));
        d.setAuthTag(tag);
        return Buffer.concat([d.update(Buffer.from(m[4], "base64")), d.final()]).toString("utf8");
      } catch {
        throw new TokenDecryptError("tampered");
      }
    },
    needsReencrypt(encoded) {
      const m = /^v(\d+):/.exec(encoded);
      return !m || Number(m[1]) !== current.version;
    },
  };
}

function decodeKey(text: string): Buffer {
  let s = text.trim();
  let enc: "hex" | "base64" | undefined;
  const prefixed = /^(hex|base64):(.*)$/i.exec(s);
  if (prefixed) {
    enc = prefixed[1].toLowerCase() as "hex" | "base64";
    s = prefixed[2].trim();
  }
  // 64 hex digits are also valid base64 (of 48 bytes), so hex is tried first.
  if ((enc ?? "hex") === "hex" && /^[0-9a-f]{64}$/i.test(s)) return Buffer.from(s, "hex");
  if (enc === "hex") throw new RangeError("hex key must be 64 hex digits");
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(s)) throw new RangeError("key must be base64 or hex");
  const buf = Buffer.from(s.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  if (buf.length !== 32) throw new RangeError(`key must decode to 32 bytes, got ${buf.length}`);
  return buf;
}

/**
 * Parses the key env var: one key (base64, base64url or 64 hex digits, optionally prefixed "hex:" or
 * "base64:") = version 1; or a list "1:<key>,2:<key>" where the HIGHEST version encrypts and the others
 * only decrypt. Rotate by appending a new version; drop the old one once every row was re-saved.
 */
export function parseKeyEnv(value: string | undefined): TokenCipherKeys {
  if (!value || value.trim() === "") throw new RangeError("token encryption key is missing");
  const items = value
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const keys: VersionedKey[] = items.map((item) => {
    const m = /^(\d+):(.+)$/.exec(item);
    return m ? { version: Number(m[1]), key: decodeKey(m[2]) } : { version: 1, key: decodeKey(item) };
  });
  if (keys.length > 1 && items.some((i) => !/^\d+:/.test(i))) {
    throw new RangeError("with several keys, each needs a version: 1:<key>,2:<key>");
  }
  const versions = new Set(keys.map((k) => k.version));
  if (versions.size !== keys.length) throw new RangeError("duplicate key version");
  keys.sort((a, b) => b.version - a.version);
  return { current: keys[0], previous: keys.slice(1) };
}
