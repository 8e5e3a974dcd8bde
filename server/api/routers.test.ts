import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { dbTargets } from "@/server/testing/db";
import { callerFor, firmWithData } from "@/server/testing/fixtures";
import type { DbHandle } from "@/db/client";

const count = async (h: DbHandle, table: "clients" | "projects" | "users" | "memberships") => {
  const r = (await h.db.execute(sql.raw(`select count(*)::int as n from ${table}`))) as unknown as { rows?: { n: number }[] } & { n: number }[];
  return (r.rows ?? r)[0].n;
};

for (const target of dbTargets()) {
  describe(`routers (${target.name})`, () => {
    let h: DbHandle;
    beforeAll(async () => {
      h = await target.open();
    });
    afterAll(() => h?.close());

    describe("sign-up", () => {
      it("refuses a short password and a bad e-mail with translated messages, storing nothing", async () => {
        const anon = callerFor(h.db, null);
        const before = await count(h, "users");
        await expect(anon.account.signUp({ name: "A", email: "a@example.se", password: "short" })).rejects.toMatchObject({
          code: "BAD_REQUEST",
          message: "Lösenordet måste ha minst 10 tecken.",
        });
        await expect(callerFor(h.db, null, "en").account.signUp({ name: "A", email: "not-an-email", password: "long enough pw" })).rejects.toMatchObject({
          message: "Enter a valid email address.",
        });
        expect(await count(h, "users")).toBe(before);
      });

      it("refuses a second account with the same e-mail, whatever its case", async () => {
        const anon = callerFor(h.db, null);
        await anon.account.signUp({ name: "A", email: "Dup@Example.se", password: "long enough pw" });
        await expect(anon.account.signUp({ name: "B", email: "dup@example.se", password: "long enough pw" })).rejects.toMatchObject({ code: "CONFLICT" });
      });
    });

    describe("firms and invites", () => {
      it("an invite link lets a new user join and share the firm's clients; it cannot be reused past its uses", async () => {
        const a = await firmWithData(h.db, "inv");
        const invite = await a.caller.firm.createInvite();
        const described = await callerFor(h.db, null).firm.describeInvite({ token: invite.token });
        expect(described?.firmName).toBe(a.firm.name);
        const joiner = await callerFor(h.db, null).account.signUp({ name: "Kollega", email: `kollega-${Date.now()}@example.se`, password: "long enough pw" });
        const c = callerFor(h.db, joiner.id);
        await c.firm.acceptInvite({ token: invite.token });
        expect((await c.client.list()).map((x) => x.id)).toEqual([a.client.id]);
        expect((await a.caller.firm.members()).map((m) => m.name).sort()).toEqual(["Kollega", "User inv"]);
        // Already in a firm: a second acceptance is refused.
        await expect(c.firm.acceptInvite({ token: invite.token })).rejects.toMatchObject({ code: "CONFLICT" });
      });

      it("a forged invite token is refused and creates no membership", async () => {
        const u = await callerFor(h.db, null).account.signUp({ name: "X", email: `x-${Date.now()}@example.se`, password: "long enough pw" });
        const before = await count(h, "memberships");
        await expect(callerFor(h.db, u.id).firm.acceptInvite({ token: "forged-token-0123456789" })).rejects.toMatchObject({ code: "NOT_FOUND" });
        expect(await callerFor(h.db, null).firm.describeInvite({ token: "forged-token-0123456789" })).toBeNull();
        expect(await count(h, "memberships")).toBe(before);
      });

      it("a user can create only one firm", async () => {
        const a = await firmWithData(h.db, "one");
        await expect(a.caller.firm.create({ name: "Second" })).rejects.toMatchObject({ code: "CONFLICT" });
      });
    });

    describe("clients", () => {
      it("refuses a wrong organisation number with its message and saves nothing", async () => {
        const a = await firmWithData(h.db, "org");
        const before = await count(h, "clients");
        await expect(a.caller.client.create({ name: "Fel AB", orgNr: "556036-0794" })).rejects.toMatchObject({
          code: "BAD_REQUEST",
          message: expect.stringContaining("kontrollsiffran"),
        });
        await expect(a.caller.client.create({ name: "Fel AB", orgNr: "12345" })).rejects.toMatchObject({ message: expect.stringContaining("10 siffror") });
        expect(await count(h, "clients")).toBe(before);
      });

      it("stores the number without hyphen and refuses a duplicate in the same firm", async () => {
        const a = await firmWithData(h.db, "dup", "2120000142");
        expect(a.client.orgNr).toBe("2120000142");
        await expect(a.caller.client.create({ name: "Igen", orgNr: "212000-0142" })).rejects.toMatchObject({ code: "CONFLICT" });
      });

      it("updates name and number, validating the number", async () => {
        const a = await firmWithData(h.db, "upd");
        const updated = await a.caller.client.update({ clientId: a.client.id, name: "Nytt Namn AB", orgNr: "212000-0142" });
        expect(updated.name).toBe("Nytt Namn AB");
        await expect(a.caller.client.update({ clientId: a.client.id, name: "X", orgNr: "2120000143" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
        expect((await a.caller.client.get({ clientId: a.client.id })).name).toBe("Nytt Namn AB");
      });
    });

    describe("closing projects", () => {
      it("enforces the financial-year rules", async () => {
        const a = await firmWithData(h.db, "fy");
        const mk = (startDate: string, endDate: string) => a.caller.project.create({ clientId: a.client.id, startDate, endDate, dataSource: "sie" });
        await expect(mk("2026-01-15", "2026-12-31")).rejects.toMatchObject({ message: expect.stringContaining("första dagen") });
        await expect(mk("2026-01-01", "2026-12-30")).rejects.toMatchObject({ message: expect.stringContaining("sista dagen") });
        await expect(mk("2026-01-01", "2027-07-31")).rejects.toMatchObject({ message: expect.stringContaining("1–18") });
        await expect(mk("2026-05-01", "2026-04-30")).rejects.toMatchObject({ code: "BAD_REQUEST" });
        await expect(mk("2026-02-30", "2026-12-31")).rejects.toMatchObject({ code: "BAD_REQUEST" });
        // 18 months (a first, extended year) and 1 month are allowed.
        await expect(mk("2026-01-01", "2027-06-30")).resolves.toMatchObject({ name: "Bokslut 2026/2027" });
        await expect(mk("2027-07-01", "2027-07-31")).resolves.toMatchObject({ startDate: "2027-07-01" });
      });

      it("refuses a year that overlaps another project of the same client, naming it", async () => {
        const a = await firmWithData(h.db, "ovl");
        const before = await count(h, "projects");
        await expect(
          a.caller.project.create({ clientId: a.client.id, startDate: "2025-07-01", endDate: "2026-06-30", dataSource: "fortnox" }),
        ).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining("Bokslut 2025") });
        expect(await count(h, "projects")).toBe(before);
        // The next year is fine.
        await expect(a.caller.project.create({ clientId: a.client.id, startDate: "2026-01-01", endDate: "2026-12-31", dataSource: "fortnox" })).resolves.toBeTruthy();
      });

      it("renames, switches data source, logs each step, deletes", async () => {
        const a = await firmWithData(h.db, "life");
        const p = a.project;
        await a.caller.project.rename({ projectId: p.id, name: "Bokslut 2025 (omtag)" });
        await a.caller.project.setDataSource({ projectId: p.id, dataSource: "sie" });
        const ov = await a.caller.project.overview({ projectId: p.id });
        expect(ov.project.name).toBe("Bokslut 2025 (omtag)");
        expect(ov.steps.find((s) => s.key === "connect")?.state).toBe("notNeeded");
        expect(ov.steps.find((s) => s.key === "import")?.state).toBe("todo");
        const log = await a.caller.project.activity({ projectId: p.id });
        expect(log.map((e) => e.action)).toEqual(["project.dataSourceChanged", "project.renamed", "project.created"]);
        expect(log.every((e) => e.userId === a.user.id && e.outcome === "success")).toBe(true);
        expect(log[1].details).toEqual({ from: "Bokslut 2025", to: "Bokslut 2025 (omtag)" });
        await a.caller.project.delete({ projectId: p.id });
        await expect(a.caller.project.get({ projectId: p.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
      });

      it("a Fortnox project waits for the connection before import", async () => {
        const a = await firmWithData(h.db, "steps");
        const ov = await a.caller.project.overview({ projectId: a.project.id });
        expect(ov.steps.map((s) => `${s.key}:${s.state}`)).toEqual(["connect:todo", "import:waiting", "reconcile:waiting", "adjust:waiting", "tax:waiting", "export:waiting"]);
      });
    });

    it("never returns a stack trace or an internal message to the caller", async () => {
      const a = await firmWithData(h.db, "err");
      const err = (await a.caller.project.get({ projectId: "not-a-uuid" }).catch((e) => e)) as Error;
      expect(err.message).not.toMatch(/at .*\.ts/);
    });
  });
}
