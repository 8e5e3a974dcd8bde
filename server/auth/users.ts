import bcrypt from "bcryptjs";
import { and, count, eq, gt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { signInFailures, users } from "@/db/schema";
import { DomainError, badRequest, conflict } from "@/server/errors";

const BCRYPT_COST = 12;
export const MIN_PASSWORD = 10;
export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
/** Failures inside the window before sign-in is refused outright until the window passes. */
export const MAX_FAILURES = 10;

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export async function signUp(db: Db, input: { name: string; email: string; password: string }) {
  const email = normalizeEmail(input.email);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw badRequest("emailInvalid");
  if (input.password.length < MIN_PASSWORD) throw badRequest("passwordTooShort", { min: MIN_PASSWORD });
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (existing) throw conflict("emailTaken");
  const passwordHash = await bcrypt.hash(input.password, BCRYPT_COST);
  const [user] = await db
    .insert(users)
    .values({ name: input.name.trim(), email, passwordHash })
    .returning({ id: users.id, name: users.name, email: users.email });
  return user;
}

/** Delay applied before answering after earlier failures: grows with each failure, capped at 4 s. */
export function failureDelayMs(failures: number): number {
  return failures <= 2 ? 0 : Math.min(4000, 250 * 2 ** (failures - 3));
}

export interface VerifyOptions {
  now?: Date;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Checks e-mail and password. Every failure is recorded; after a few the answer is slowed down and after
 * MAX_FAILURES within the window sign-in is refused, so password guessing is impractical.
 */
export async function verifyCredentials(db: Db, emailInput: string, password: string, opts: VerifyOptions = {}) {
  const now = opts.now ?? new Date();
  const sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  const email = normalizeEmail(emailInput);
  const since = new Date(now.getTime() - THROTTLE_WINDOW_MS);
  const [{ n }] = await db
    .select({ n: count() })
    .from(signInFailures)
    .where(and(eq(signInFailures.email, email), gt(signInFailures.at, since)));
  if (n >= MAX_FAILURES) throw new DomainError("TOO_MANY_REQUESTS", "tooManySignInAttempts");
  await sleep(failureDelayMs(n));

  const [user] = await db.select().from(users).where(eq(users.email, email));
  // Compare against a dummy hash when the user does not exist, so timing does not reveal registered e-mails.
  const ok = await bcrypt.compare(password, user?.passwordHash ?? dummyHash());
  if (!user || !ok) {
    await db.insert(signInFailures).values({ email, at: now });
    return null;
  }
  await db.delete(signInFailures).where(eq(signInFailures.email, email));
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
