// Throttling of guesses (sign-in) and of account creation (sign-up), shared by every app instance through the
// database. Each attempt is counted BEFORE the slow password hash, in one conditional upsert per key: a key whose
// wait has not passed takes no attempt at all, and parallel requests serialise on the key's row, so no number of
// concurrent guesses gets past the allowance. Past a free allowance every attempt makes the next one wait longer
// (doubling up to a cap): a delay, never a lock, so the owner signs in with the right password once it is over.

import { createHash } from "node:crypto";
import { inArray, lt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { authThrottle } from "@/db/schema";
import { DomainError } from "@/server/errors";

export interface ThrottleRule {
  /** Attempts without any wait (since the last quiet period). */
  free: number;
  /** The wait after the first attempt past the allowance; it doubles with each further attempt. */
  baseMs: number;
  capMs: number;
  /** This long without an attempt and the count starts over. */
  quietMs: number;
}

const MINUTE = 60_000;

export const SIGN_IN_RULES = {
  /** One account from one source: the usual guesser. Tight, and it cannot keep the owner out from elsewhere. */
  accountSource: { free: 5, baseMs: 1_000, capMs: 15 * MINUTE, quietMs: 60 * MINUTE },
  /** One account from anywhere: guesses spread over many addresses. Loose, and its wait is short (the owner pays it too). */
  account: { free: 50, baseMs: 1_000, capMs: 1 * MINUTE, quietMs: 60 * MINUTE },
  /** One source, any account: one address trying many accounts. */
  source: { free: 20, baseMs: 1_000, capMs: 15 * MINUTE, quietMs: 60 * MINUTE },
} satisfies Record<string, ThrottleRule>;

/** Sign-ups from one source: an office may create a few accounts; nobody needs hundreds ("is this e-mail taken?"). */
export const SIGN_UP_RULE: ThrottleRule = { free: 10, baseMs: 10_000, capMs: 15 * MINUTE, quietMs: 60 * MINUTE };

/** The wait that follows the attempt number `attempts` (1-based) under `rule`. */
export function delayMs(rule: ThrottleRule, attempts: number): number {
  if (attempts <= rule.free) return 0;
  return Math.min(rule.capMs, rule.baseMs * 2 ** Math.min(attempts - rule.free - 1, 40));
}

export interface ThrottleKey {
  /** What is counted: "account", "source", … plus its value; stored only as a hash. */
  key: string;
  rule: ThrottleRule;
}

const hashKey = (key: string) => createHash("sha256").update(key).digest("hex");

/** Thrown when a key's wait has not passed; nothing was counted. */
export class ThrottledError extends DomainError {
  constructor(key: string, readonly retryAfterMs: number) {
    super("TOO_MANY_REQUESTS", key, { seconds: Math.max(1, Math.ceil(retryAfterMs / 1000)), minutes: Math.max(1, Math.ceil(retryAfterMs / MINUTE)) });
  }
}

/**
 * Counts one attempt on every key, all or none: if any key is still waiting, nothing is counted and a ThrottledError
 * with `errorKey` says how long. Keys are claimed in a fixed order inside one transaction, so two requests never
 * deadlock and a refusal rolls back the keys already claimed.
 */
export async function claimAttempt(db: Db, keys: ThrottleKey[], now: Date, errorKey: string): Promise<void> {
  const ordered = keys.map((k) => ({ ...k, hash: hashKey(k.key) })).sort((a, b) => (a.hash < b.hash ? -1 : 1));
  const refused = await db
    .transaction(async (tx) => {
      for (const k of ordered) {
        const { free, baseMs, capMs, quietMs } = k.rule;
        const at = sql`${now.toISOString()}::timestamptz`;
        const quietSince = sql`${new Date(now.getTime() - quietMs).toISOString()}::timestamptz`;
        // The attempt count after this one, and the wait it earns (the same formula as delayMs, in SQL).
        const attempts = sql`(case when ${authThrottle.lastAt} < ${quietSince} then 1 else ${authThrottle.attempts} + 1 end)`;
        const wait = sql`(case when ${attempts} <= ${free} then 0 else least(${capMs}::float8, ${baseMs}::float8 * power(2, least(${attempts} - ${free} - 1, 40))) end)`;
        const rows = await tx
          .insert(authThrottle)
          .values({ keyHash: k.hash, attempts: 1, lastAt: now, nextAt: new Date(now.getTime() + delayMs(k.rule, 1)) })
          .onConflictDoUpdate({
            target: authThrottle.keyHash,
            set: { attempts: sql`${attempts}`, lastAt: now, nextAt: sql`${at} + ${wait} * interval '1 millisecond'` },
            setWhere: sql`${authThrottle.nextAt} <= ${at}`,
          })
          .returning({ attempts: authThrottle.attempts });
        if (!rows.length) throw new RollBack();
      }
      return false;
    })
    .catch((err) => {
      if (err instanceof RollBack) return true;
      throw err;
    });
  if (!refused) return;
  const rows = await db
    .select({ nextAt: sql<Date>`max(${authThrottle.nextAt})` })
    .from(authThrottle)
    .where(inArray(authThrottle.keyHash, ordered.map((k) => k.hash)));
  const nextAt = rows[0]?.nextAt ? new Date(rows[0].nextAt) : now;
  throw new ThrottledError(errorKey, Math.max(0, nextAt.getTime() - now.getTime()));
}

class RollBack extends Error {}

/** Takes back one counted attempt (a sign-in that turned out right), optionally ending the key's wait. */
export async function releaseAttempt(db: Db, key: string, now: Date, opts: { clearWait?: boolean } = {}): Promise<void> {
  await db
    .update(authThrottle)
    .set({ attempts: sql`greatest(${authThrottle.attempts} - 1, 0)`, ...(opts.clearWait ? { nextAt: now } : {}) })
    .where(sql`${authThrottle.keyHash} = ${hashKey(key)}`);
}

export async function forgetKey(db: Db, key: string): Promise<void> {
  await db.delete(authThrottle).where(sql`${authThrottle.keyHash} = ${hashKey(key)}`);
}

/** Rows quiet for longer than any rule remembers, and not waiting: forgotten (the maintenance sweep). */
export async function pruneThrottle(db: Db, now: Date): Promise<number> {
  const longest = Math.max(...[...Object.values(SIGN_IN_RULES), SIGN_UP_RULE].map((r) => r.quietMs + r.capMs));
  const gone = await db
    .delete(authThrottle)
    .where(lt(authThrottle.lastAt, new Date(now.getTime() - longest)))
    .returning({ k: authThrottle.keyHash });
  return gone.length;
}
