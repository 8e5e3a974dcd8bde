import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { dbTargets } from "@/server/testing/db";
import { MAX_PASSWORD, signUp, verifyCredentials } from "./users";
import { authThrottle } from "@/db/schema";
import { SIGN_IN_RULES, delayMs, pruneThrottle, type ThrottleRule } from "./throttle";

// Guesses are counted before the slow hash, in one conditional statement, per account, per source and per
// account from one source; each failure past a free allowance makes the next attempt wait longer, and the owner
// signs in with the right password as soon as the wait is over (no lock). Every counted guess costs a real bcrypt
// hash, so these tests use small allowances of the same shape as the real ones.

const rule = (free: number, capMs: number): ThrottleRule => ({ free, baseMs: 1_000, capMs, quietMs: 3_600_000 });
const RULES = { accountSource: rule(2, 900_000), account: rule(8, 60_000), source: rule(4, 900_000) };

const PASSWORD = "riktigt bra lösen";
let seq = 0;
const email = () => `throttle-${Date.now().toString(36)}-${seq++}@example.se`;
const at = (base: Date, ms: number) => new Date(base.getTime() + ms);
const outcome = (p: Promise<unknown>) =>
  p.then((r) => (r ? "ok" : "wrong"), (e: { key?: string }) => (e?.key === "tooManySignInAttempts" ? "wait" : `error ${String(e)}`));

for (const target of dbTargets()) {
  describe(`sign-in throttling (${target.name})`, () => {
    let h: DbHandle;
    const attempt = (e: string, password: string, now: Date, source: string, rules: typeof RULES = RULES) =>
      outcome(verifyCredentials(h.db, e, password, { now, source, rules }));
    beforeAll(async () => {
      h = await target.open();
    });
    afterAll(() => h?.close());

    it("the real allowances: a delay after a few guesses, capped, for an account from one source", () => {
      expect(delayMs(SIGN_IN_RULES.accountSource, SIGN_IN_RULES.accountSource.free)).toBe(0);
      expect(delayMs(SIGN_IN_RULES.accountSource, SIGN_IN_RULES.accountSource.free + 1)).toBeGreaterThan(0);
      expect(delayMs(SIGN_IN_RULES.accountSource, 1000)).toBe(SIGN_IN_RULES.accountSource.capMs);
      // The wait every source pays on one account is short: an attacker cannot keep the owner out for long.
      expect(SIGN_IN_RULES.account.capMs).toBeLessThanOrEqual(60_000);
    });

    it("parallel guesses cannot pass the allowance: exactly free + 1 reach the hash, the rest wait", async () => {
      const e = email();
      await signUp(h.db, { name: "Par", email: e, password: PASSWORD });
      const now = new Date("2026-03-01T10:00:00Z");
      const results = await Promise.all(Array.from({ length: 20 }, () => attempt(e, "fel lösenord", now, "198.51.100.7")));
      expect(results.filter((r) => r === "wrong").length).toBe(RULES.accountSource.free + 1);
      expect(results.filter((r) => r === "wait").length).toBe(20 - RULES.accountSource.free - 1);
    });

    it("delays grow with each failure and never become a lock: the right password works once the wait is over", async () => {
      const e = email();
      await signUp(h.db, { name: "Owner", email: e, password: PASSWORD });
      const rules = { ...RULES, source: rule(100, 900_000) };
      let now = new Date("2026-03-02T10:00:00Z");
      const waits: number[] = [];
      for (let i = 0; i < 7; i++) {
        expect(await attempt(e, "fel", now, "198.51.100.8", rules)).toBe("wrong");
        const wait = delayMs(rules.accountSource, i + 1);
        waits.push(wait);
        if (wait > 0) {
          // Too early, even with the right password: refused before any hash, nothing counted, the wait told.
          const early = await verifyCredentials(h.db, e, PASSWORD, { now: at(now, wait - 1), source: "198.51.100.8", rules }).catch((x) => x);
          expect(early).toMatchObject({ key: "tooManySignInAttempts", params: { seconds: 1 } });
        }
        now = at(now, wait);
      }
      expect(waits).toEqual([0, 0, 1_000, 2_000, 4_000, 8_000, 16_000]);
      expect(await attempt(e, PASSWORD, now, "198.51.100.8", rules)).toBe("ok");
      // Success clears the account's count from that source: the next mistakes are free again.
      expect(await attempt(e, "fel", now, "198.51.100.8", rules)).toBe("wrong");
      expect(await attempt(e, "fel", now, "198.51.100.8", rules)).toBe("wrong");
    });

    it("an attacker's failures from one source do not keep the owner out from another", async () => {
      const e = email();
      await signUp(h.db, { name: "Victim", email: e, password: PASSWORD });
      let now = new Date("2026-03-03T10:00:00Z");
      for (let i = 0; i < 4; i++) {
        expect(await attempt(e, "gissning", now, "203.0.113.66")).toBe("wrong");
        now = at(now, delayMs(RULES.accountSource, i + 1));
      }
      expect(await attempt(e, "gissning", now, "203.0.113.66")).toBe("wrong");
      expect(await attempt(e, PASSWORD, now, "203.0.113.66")).toBe("wait");
      // The owner, elsewhere, at the same moment.
      expect(await attempt(e, PASSWORD, now, "192.0.2.10")).toBe("ok");
    });

    it("guesses spread over many sources slow down the account for everyone, but only by bounded delays", async () => {
      const e = email();
      await signUp(h.db, { name: "Spread", email: e, password: PASSWORD });
      const now = new Date("2026-03-04T10:00:00Z");
      for (let i = 0; i < RULES.account.free + 1; i++) expect(await attempt(e, "gissning", now, `10.1.0.${i}`)).toBe("wrong");
      expect(await attempt(e, PASSWORD, now, "192.0.2.11")).toBe("wait");
      expect(await attempt(e, PASSWORD, at(now, RULES.account.capMs), "192.0.2.11")).toBe("ok");
    });

    it("one source guessing across many accounts is slowed down, whichever account it tries next", async () => {
      const now = new Date("2026-03-05T10:00:00Z");
      for (let i = 0; i < RULES.source.free + 1; i++) expect(await attempt(email(), "gissning", now, "198.51.100.99")).toBe("wrong");
      expect(await attempt(email(), "gissning", now, "198.51.100.99")).toBe("wait");
      expect(await attempt(email(), "gissning", now, "198.51.100.100")).toBe("wrong");
    });

    it("bcrypt work is bounded: a password longer than any allowed one is refused without hashing", async () => {
      const e = email();
      await signUp(h.db, { name: "Long", email: e, password: PASSWORD });
      const started = performance.now();
      expect(await verifyCredentials(h.db, e, "x".repeat(1_000_000), { source: "198.51.100.12" })).toBeNull();
      expect(performance.now() - started).toBeLessThan(2_000);
      await expect(signUp(h.db, { name: "Long", email: email(), password: "x".repeat(MAX_PASSWORD + 1) })).rejects.toMatchObject({ key: "passwordTooLong" });
    });

    it("the maintenance sweep forgets rows that have been quiet longer than any rule remembers", async () => {
      const now = new Date("2026-03-06T10:00:00Z");
      await attempt(email(), "gissning", now, "198.51.100.200");
      // Rows of this moment stay (older ones from the tests above may go).
      await pruneThrottle(h.db, now);
      expect((await h.db.select().from(authThrottle)).length).toBeGreaterThan(0);
      await pruneThrottle(h.db, new Date(Date.now() + 24 * 3600_000));
      expect(await h.db.select().from(authThrottle)).toEqual([]);
    });
  });
}
