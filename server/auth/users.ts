import bcrypt from "bcryptjs";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import { badRequest, conflict } from "@/server/errors";
import { claimAttempt, forgetKey, releaseAttempt, SIGN_IN_RULES, SIGN_UP_RULE } from "./throttle";

/** Fixed: every hash and every comparison costs the same, whatever is stored or sent. */
const BCRYPT_COST = 12;
export const MIN_PASSWORD = 10;
/** Longer passwords are refused before any hashing (bcrypt reads 72 bytes anyway; the cap bounds the work before it). */
export const MAX_PASSWORD = 200;

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** Where a request came from (server/auth/client-ip.ts); absent for server-side callers, which are not throttled. */
export type Source = string | undefined;

export async function signUp(db: Db, input: { name: string; email: string; password: string }, opts: { source?: Source; now?: Date } = {}) {
  // Counted first: the answer below also tells whether an e-mail is registered, so its rate is limited per source.
  if (opts.source) await claimAttempt(db, [{ key: `signup:${opts.source}`, rule: SIGN_UP_RULE }], opts.now ?? new Date(), "signUpThrottled");
  const email = normalizeEmail(input.email);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw badRequest("emailInvalid");
  if (input.password.length < MIN_PASSWORD) throw badRequest("passwordTooShort", { min: MIN_PASSWORD });
  if (input.password.length > MAX_PASSWORD) throw badRequest("passwordTooLong", { max: MAX_PASSWORD });
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (existing) throw conflict("emailTaken");
  const passwordHash = await bcrypt.hash(input.password, BCRYPT_COST);
  const [user] = await db
    .insert(users)
    .values({ name: input.name.trim(), email, passwordHash })
    .returning({ id: users.id, name: users.name, email: users.email });
  return user;
}

export interface VerifyOptions {
  now?: Date;
  /** The client's address; "unknown" when the request did not say. */
  source?: string;
  /** The allowances (tests use small ones: every counted guess costs a real bcrypt hash). */
  rules?: typeof SIGN_IN_RULES;
}

/**
 * Checks e-mail and password. The attempt is counted per account, per source and per account from that source
 * before the hash (server/auth/throttle.ts); while any of them must wait, the answer is `tooManySignInAttempts`
 * with the wait, and no hash is computed. A right password takes its own attempt back.
 */
export async function verifyCredentials(db: Db, emailInput: string, password: string, opts: VerifyOptions = {}) {
  const now = opts.now ?? new Date();
  const email = normalizeEmail(emailInput).slice(0, 320);
  const source = opts.source ?? "unknown";
  const rules = opts.rules ?? SIGN_IN_RULES;
  const keys = {
    accountSource: `signin:account+source:${email}|${source}`,
    account: `signin:account:${email}`,
    source: `signin:source:${source}`,
  };
  await claimAttempt(
    db,
    [
      { key: keys.accountSource, rule: rules.accountSource },
      { key: keys.account, rule: rules.account },
      { key: keys.source, rule: rules.source },
    ],
    now,
    "tooManySignInAttempts",
  );
  if (password.length > MAX_PASSWORD) return null;

  const [user] = await db.select().from(users).where(eq(users.email, email));
  // Compare against a dummy hash when the user does not exist, so timing does not reveal registered e-mails.
  const ok = await bcrypt.compare(password, user?.passwordHash ?? dummyHash());
  if (!user || !ok) return null;
  await Promise.all([
    forgetKey(db, keys.accountSource),
    // The owner signing in ends the account-wide wait; a source keeps its own (the right password of one account
    // must not buy more guesses at others).
    releaseAttempt(db, keys.account, now, { clearWait: true }),
    releaseAttempt(db, keys.source, now),
  ]);
  return { id: user.id, name: user.name, email: user.email, locale: user.locale };
}

let dummy: string | undefined;
const dummyHash = () => (dummy ??= bcrypt.hashSync("not-a-real-password", BCRYPT_COST));

export async function setLocale(db: Db, userId: string, locale: "sv" | "en") {
  await db.update(users).set({ locale }).where(eq(users.id, userId));
}

export async function getUser(db: Db, userId: string) {
  const [u] = await db
    .select({ id: users.id, name: users.name, email: users.email, locale: users.locale })
    .from(users)
    .where(eq(users.id, userId));
  return u ?? null;
}
