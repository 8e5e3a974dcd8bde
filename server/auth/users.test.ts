import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dbTargets } from "@/server/testing/db";
import type { DbHandle } from "@/db/client";
import { MAX_FAILURES, failureDelayMs, signUp, verifyCredentials } from "./users";

const target = dbTargets()[0];

describe("sign-in", () => {
  let h: DbHandle;
  const slept: number[] = [];
  const sleep = async (ms: number) => void slept.push(ms);
  beforeAll(async () => {
    h = await target.open();
    await signUp(h.db, { name: "Anna", email: "anna@example.se", password: "riktigt bra lösen" });
  });
  afterAll(() => h?.close());

  it("stores a bcrypt hash, never the password", async () => {
    const rows = await h.db.query.users.findMany();
    expect(rows[0].passwordHash).toMatch(/^\$2[aby]\$12\$/);
    expect(rows[0].passwordHash).not.toContain("riktigt");
  });

  it("accepts the right password, whatever the e-mail's case", async () => {
    expect(await verifyCredentials(h.db, "ANNA@example.se", "riktigt bra lösen", { sleep })).toMatchObject({ name: "Anna" });
  });

  it("slows down repeated failures and then refuses until the window has passed", async () => {
    const now = new Date("2026-03-01T10:00:00Z");
    for (let i = 0; i < MAX_FAILURES; i++) {
      expect(await verifyCredentials(h.db, "anna@example.se", "fel", { now, sleep })).toBeNull();
    }
    expect(slept.slice(-3)).toEqual([failureDelayMs(7), failureDelayMs(8), failureDelayMs(9)]);
    expect(failureDelayMs(9)).toBeGreaterThan(0);
    // Even the right password is refused while throttled.
    await expect(verifyCredentials(h.db, "anna@example.se", "riktigt bra lösen", { now, sleep })).rejects.toMatchObject({ key: "tooManySignInAttempts" });
    const later = new Date(now.getTime() + 16 * 60 * 1000);
    expect(await verifyCredentials(h.db, "anna@example.se", "riktigt bra lösen", { now: later, sleep })).toMatchObject({ name: "Anna" });
  });

  it("an unknown e-mail fails like a wrong password", async () => {
    expect(await verifyCredentials(h.db, "nobody@example.se", "whatever", { sleep })).toBeNull();
  });
});
