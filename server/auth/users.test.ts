import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dbTargets } from "@/server/testing/db";
import type { DbHandle } from "@/db/client";
import { signUp, verifyCredentials } from "./users";

const target = dbTargets()[0];

describe("sign-in", () => {
  let h: DbHandle;
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
    expect(await verifyCredentials(h.db, "ANNA@example.se", "riktigt bra lösen")).toMatchObject({ name: "Anna" });
  });

  // Throttling: sign-in-throttle.test.ts.
  it("an unknown e-mail fails like a wrong password", async () => {
    expect(await verifyCredentials(h.db, "nobody@example.se", "whatever")).toBeNull();
  });
});
