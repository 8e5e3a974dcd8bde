import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { createTokenCipher, parseKeyEnv, TokenDecryptError } from "./crypto";

const k1 = { version: 1, key: randomBytes(32) };
const k2 = { version: 2, key: randomBytes(32) };

function problem(f: () => unknown) {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(TokenDecryptError);
    return (e as TokenDecryptError).problem;
  }
  throw new Error("expected TokenDecryptError");
}

describe("token cipher", () => {
  it("round trips, with a fresh IV each time", () => {
    const c = createTokenCipher({ current: k1 });
    const a = c.encrypt("refresh-åäö-token", "conn-1");
    const b = c.encrypt("refresh-åäö-token", "conn-1");
    expect(a).toMatch(/^v1:[^:]+:[^:]+:[^:]+$/);
    expect(a).not.toBe(b);
    expect(c.decrypt(a, "conn-1")).toBe("refresh-åäö-token");
    expect(c.decrypt(c.encrypt(""), undefined)).toBe("");
  });

  it("detects tampering of ciphertext, tag, iv, version and row binding", () => {
    const c = createTokenCipher({ current: k2, previous: [k1] });
    const enc = c.encrypt("secret", "conn-1");
    const [v, iv, tag, ct] = enc.split(":");
    const flip = (b64: string) => {
      const buf = Buffer.from(b64, "base64");
      buf[0] ^= 1;
      return buf.toString("base64");
    };
    expect(problem(() => c.decrypt([v, iv, tag, flip(ct)].join(":"), "conn-1"))).toBe("tampered");
    expect(problem(() => c.decrypt([v, iv, flip(tag), ct].join(":"), "conn-1"))).toBe("tampered");
    expect(problem(() => c.decrypt([v, flip(iv), tag, ct].join(":"), "conn-1"))).toBe("tampered");
    expect(problem(() => c.decrypt(["v1", iv, tag, ct].join(":"), "conn-1"))).toBe("tampered");
    expect(problem(() => c.decrypt(enc, "conn-2"))).toBe("tampered");
    expect(problem(() => c.decrypt("garbage", "conn-1"))).toBe("format");
    expect(problem(() => c.decrypt(enc.replace(/^v2/, "v9"), "conn-1"))).toBe("unknown_key_version");
  });

  it("rotates keys: old ciphertexts decrypt, new ones use the current key", () => {
    const old = createTokenCipher({ current: k1 });
    const enc1 = old.encrypt("t1");
    const rotated = createTokenCipher({ current: k2, previous: [k1] });
    expect(rotated.decrypt(enc1)).toBe("t1");
    expect(rotated.needsReencrypt(enc1)).toBe(true);
    const enc2 = rotated.encrypt("t1");
    expect(enc2.startsWith("v2:")).toBe(true);
    expect(rotated.needsReencrypt(enc2)).toBe(false);
    expect(problem(() => old.decrypt(enc2))).toBe("unknown_key_version");
  });

  it("refuses wrong key sizes", () => {
    expect(() => createTokenCipher({ current: { version: 1, key: randomBytes(16) } })).toThrow(RangeError);
  });
});

describe("parseKeyEnv", () => {
  const raw = randomBytes(32);
  it("accepts base64, base64url, hex and prefixes as version 1", () => {
    for (const s of [raw.toString("base64"), raw.toString("base64url"), raw.toString("hex"), `hex:${raw.toString("hex")}`, `base64:${raw.toString("base64")}`]) {
      const k = parseKeyEnv(s);
      expect(k.current.version).toBe(1);
      expect(k.current.key.equals(raw)).toBe(true);
    }
  });

  it("accepts a versioned list; the highest version encrypts", () => {
    const other = randomBytes(32);
    const k = parseKeyEnv(` 1:${raw.toString("base64")}, 3:${other.toString("hex")} `);
    expect(k.current.version).toBe(3);
    expect(k.current.key.equals(other)).toBe(true);
    expect(k.previous!.map((p) => p.version)).toEqual([1]);
  });

  it.each(["", "abc", "1:abc", `1:${randomBytes(32).toString("hex")},1:${randomBytes(32).toString("hex")}`, randomBytes(31).toString("base64")])(
    "rejects %j",
    (s) => expect(() => parseKeyEnv(s)).toThrow(RangeError),
  );
});
