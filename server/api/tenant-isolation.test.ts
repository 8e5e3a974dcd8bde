import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { sql } from "drizzle-orm";
import { appRouter } from "./root";
import { dbTargets } from "@/server/testing/db";
import { callerFor, firmWithData } from "@/server/testing/fixtures";
import type { DbHandle } from "@/db/client";
import { withCheckDigit } from "@/server/firms/org-nr";
import { fortnoxConnections } from "@/db/schema";

type A = Awaited<ReturnType<typeof firmWithData>>;
type Call = (caller: ReturnType<typeof callerFor>, a: A) => Promise<unknown>;

/** Every procedure that takes an id of firm data, called by a member of firm B with firm A's ids. */
const crossFirm: Record<string, Call> = {
  "client.get": (c, a) => c.client.get({ clientId: a.client.id }),
  "client.update": (c, a) => c.client.update({ clientId: a.client.id, name: "Stolen", orgNr: "5560360793" }),
  "client.delete": (c, a) => c.client.delete({ clientId: a.client.id }),
  "project.list": (c, a) => c.project.list({ clientId: a.client.id }),
  "project.get": (c, a) => c.project.get({ projectId: a.project.id }),
  "project.overview": (c, a) => c.project.overview({ projectId: a.project.id }),
  "project.create": (c, a) => c.project.create({ clientId: a.client.id, startDate: "2026-01-01", endDate: "2026-12-31", dataSource: "sie" }),
  "project.rename": (c, a) => c.project.rename({ projectId: a.project.id, name: "Stolen" }),
  "project.setDataSource": (c, a) => c.project.setDataSource({ projectId: a.project.id, dataSource: "sie" }),
  "project.delete": (c, a) => c.project.delete({ projectId: a.project.id }),
  "project.activity": (c, a) => c.project.activity({ projectId: a.project.id }),
  "import.state": (c, a) => c.import.state({ projectId: a.project.id }),
  "import.start": (c, a) => c.import.start({ projectId: a.project.id }),
  "import.history": (c, a) => c.import.history({ projectId: a.project.id }),
  "import.detail": (c, a) => c.import.detail({ projectId: a.project.id, importId: "00000000-0000-4000-8000-000000000000" }),
  "import.ledgerSchedule": (c, a) => c.import.ledgerSchedule({ projectId: a.project.id, side: "customer" }),
  "connection.get": (c, a) => c.connection.get({ clientId: a.client.id }),
  "connection.startConnect": (c, a) => c.connection.startConnect({ clientId: a.client.id, kind: "user" }),
  "connection.confirm": (c, a) => c.connection.confirm({ clientId: a.client.id }),
  "connection.cancel": (c, a) => c.connection.cancel({ clientId: a.client.id }),
  "connection.disconnect": (c, a) => c.connection.disconnect({ clientId: a.client.id }),
};

/** Procedures that take no firm-data id: scoped to the caller's own user or firm, with the reason. */
const ownScope: Record<string, string> = {
  "account.signUp": "creates a new user; no firm data",
  "account.me": "the caller's own user and firm",
  "account.setLocale": "the caller's own user",
  "firm.create": "creates the caller's own firm",
  "firm.members": "members of the caller's own firm",
  "firm.createInvite": "invite to the caller's own firm",
  "firm.describeInvite": "needs the secret invite token, shows only the firm name",
  "firm.acceptInvite": "needs the secret invite token",
  "client.list": "lists the caller's own firm's clients (checked below)",
  "client.create": "creates in the caller's own firm (checked below)",
  "connection.overview": "lists the caller's own firm's clients and connections (checked below)",
};

for (const target of dbTargets()) {
  describe(`tenant isolation (${target.name})`, () => {
    let h: DbHandle;
    let a: A;
    let b: A;
    beforeAll(async () => {
      h = await target.open();
      a = await firmWithData(h.db, "a");
      b = await firmWithData(h.db, "b", "2120000142");
      // Firm A's client has a connection awaiting confirmation: something to confirm, cancel or disconnect.
      await h.db.insert(fortnoxConnections).values({
        firmId: a.firm.id,
        clientId: a.client.id,
        status: "pending_confirmation",
        tenantId: "1234567",
        companyName: "Demo Konsult AB",
        orgNr: "5566778899",
        accessTokenEnc: "v1:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA==:AAAA",
        refreshTokenEnc: "v1:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA==:AAAA",
        tokenKeyVersion: 1,
        warnings: { orgNrMismatch: true },
      });
    });
    afterAll(() => h?.close());

    it("every procedure of the router is covered by this test", () => {
      const all = Object.keys((appRouter as unknown as { _def: { procedures: Record<string, unknown> } })._def.procedures);
      const uncovered = all.filter((p) => !(p in crossFirm) && !(p in ownScope));
      expect(uncovered, "add the new procedure to crossFirm (or ownScope with a reason)").toEqual([]);
    });

    for (const [path, call] of Object.entries(crossFirm)) {
      it(`${path} with another firm's ids is refused and changes nothing`, async () => {
        const before = await snapshot(h, a);
        const err = await call(b.caller, a).then(() => null, (e: unknown) => e);
        expect(err).toBeInstanceOf(TRPCError);
        expect(["NOT_FOUND", "FORBIDDEN"]).toContain((err as TRPCError).code);
        expect(await snapshot(h, a)).toEqual(before);
      });
    }

    it("lists never show another firm's clients, and create lands in the caller's firm", async () => {
      const listed = await b.caller.client.list();
      expect(listed.map((c) => c.id)).not.toContain(a.client.id);
      const created = await b.caller.client.create({ name: "Egen AB", orgNr: withCheckDigit("556677889") });
      expect(created.firmId).toBe(b.firm.id);
      expect((await a.caller.client.list()).map((c) => c.id)).not.toContain(created.id);
    });

    it("the connections overview shows only the caller's own firm's clients and connections", async () => {
      const overview = await b.caller.connection.overview();
      expect(overview.clients.map((c) => c.clientId)).not.toContain(a.client.id);
      expect(overview.clients.every((c) => c.companyName === null)).toBe(true);
    });

    it("a user without a firm is refused every firm procedure", async () => {
      const loner = await callerFor(h.db, null).account.signUp({ name: "Ensam", email: `ensam-${Date.now()}@example.se`, password: "correct horse battery" });
      const c = callerFor(h.db, loner.id);
      await expect(c.client.list()).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(c.project.get({ projectId: a.project.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    });

    it("signed out, every protected procedure is UNAUTHORIZED", async () => {
      const anon = callerFor(h.db, null);
      for (const [path, call] of Object.entries(crossFirm)) {
        const err = await call(anon, a).then(() => null, (e: unknown) => e);
        expect((err as TRPCError)?.code, path).toBe("UNAUTHORIZED");
      }
    });
  });
}

async function snapshot(h: DbHandle, a: A) {
  const rows = await h.db.execute(sql`select
      (select count(*) from clients where firm_id = ${a.firm.id})::int as clients,
      (select count(*) from projects where firm_id = ${a.firm.id})::int as projects,
      (select name from clients where id = ${a.client.id}) as client_name,
      (select name || data_source from projects where id = ${a.project.id}) as project,
      (select count(*) from jobs where firm_id = ${a.firm.id})::int as jobs,
      (select row_to_json(c)::text from fortnox_connections c where client_id = ${a.client.id}) as connection,
      (select count(*) from fortnox_connect_attempts where client_id = ${a.client.id})::int as attempts`);
  return (rows as unknown as { rows?: unknown[] }).rows ?? rows;
}
