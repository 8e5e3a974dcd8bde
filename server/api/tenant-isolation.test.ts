import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { sql } from "drizzle-orm";
import { appRouter } from "./root";
import { clientIdInput, projectIdInput } from "./trpc";
import { dbTargets } from "@/server/testing/db";
import { callerFor, firmWithData } from "@/server/testing/fixtures";
import type { DbHandle } from "@/db/client";
import { withCheckDigit } from "@/lib/org-nr";
import { fortnoxConnections } from "@/db/schema";
import { uploadAttachment } from "@/server/closing/attachments";
import { demoSieBytes, DEMO_ORG_NR, importSie, useSieImports } from "@/server/testing/ledger";
import { pdfBytes } from "@/server/testing/files";

type A = Awaited<ReturnType<typeof firmWithData>>;
type Call = (caller: ReturnType<typeof callerFor>, a: A) => Promise<unknown>;

/** Firm A's closing work (set up below): real ids that a missing check would let through. */
const work = { adjustmentId: "", attachmentId: "", inviteId: "" };

/** Every procedure that takes an id of firm data, called by a member of firm B with firm A's ids. */
const crossFirm: Record<string, Call> = {
  "firm.revokeInvite": (c) => c.firm.revokeInvite({ inviteId: work.inviteId }),
  "firm.removeMember": (c, a) => c.firm.removeMember({ userId: a.user.id }),
  "firm.setRole": (c, a) => c.firm.setRole({ userId: a.user.id, role: "member" }),
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
  "export.state": (c, a) => c.export.state({ projectId: a.project.id }),
  "export.prepare": (c, a) => c.export.prepare({ projectId: a.project.id, adjustmentIds: [], series: "A" }),
  "export.start": (c, a) => c.export.start({ projectId: a.project.id, adjustmentIds: ["00000000-0000-4000-8000-000000000000"], series: "A" }),
  "connection.get": (c, a) => c.connection.get({ clientId: a.client.id }),
  "connection.startConnect": (c, a) => c.connection.startConnect({ clientId: a.client.id, kind: "user" }),
  "connection.confirm": (c, a) => c.connection.confirm({ clientId: a.client.id }),
  "connection.cancel": (c, a) => c.connection.cancel({ clientId: a.client.id }),
  "connection.disconnect": (c, a) => c.connection.disconnect({ clientId: a.client.id }),
  "reconciliation.trialBalance": (c, a) => c.reconciliation.trialBalance({ projectId: a.project.id }),
  "reconciliation.analysis": (c, a) => c.reconciliation.analysis({ projectId: a.project.id, account: "1930" }),
  "reconciliation.voucher": (c, a) => c.reconciliation.voucher({ projectId: a.project.id, voucherId: 1 }),
  "reconciliation.chart": (c, a) => c.reconciliation.chart({ projectId: a.project.id }),
  "schedule.get": (c, a) => c.schedule.get({ projectId: a.project.id, account: "1930" }),
  "schedule.saveRows": (c, a) => c.schedule.saveRows({ projectId: a.project.id, account: "1930", rows: [{ text: "Stulen", amountOre: 1 }] }),
  "schedule.setComment": (c, a) => c.schedule.setComment({ projectId: a.project.id, account: "1930", comment: "Stulen" }),
  "schedule.setLedger": (c, a) => c.schedule.setLedger({ projectId: a.project.id, account: "1510", use: false }),
  "schedule.signOff": (c, a) => c.schedule.signOff({ projectId: a.project.id, account: "1930" }),
  "schedule.reopen": (c, a) => c.schedule.reopen({ projectId: a.project.id, account: "1930" }),
  "schedule.addAccount": (c, a) => c.schedule.addAccount({ projectId: a.project.id, account: "1930", add: "1940" }),
  "schedule.removeAccount": (c, a) => c.schedule.removeAccount({ projectId: a.project.id, account: "1930", remove: "1930" }),
  "attachment.list": (c, a) => c.attachment.list({ projectId: a.project.id, target: { account: "1930" } }),
  "attachment.projectList": (c, a) => c.attachment.projectList({ projectId: a.project.id }),
  "attachment.link": (c, a) => c.attachment.link({ projectId: a.project.id, attachmentId: work.attachmentId, target: { account: "1940" } }),
  "attachment.unlink": (c, a) => c.attachment.unlink({ projectId: a.project.id, attachmentId: work.attachmentId, target: { account: "1930" } }),
  "attachment.delete": (c, a) => c.attachment.delete({ projectId: a.project.id, attachmentId: work.attachmentId }),
  "adjustment.list": (c, a) => c.adjustment.list({ projectId: a.project.id }),
  "adjustment.get": (c, a) => c.adjustment.get({ projectId: a.project.id, adjustmentId: work.adjustmentId }),
  "adjustment.create": (c, a) => c.adjustment.create({ projectId: a.project.id, voucher: VOUCHER }),
  "adjustment.update": (c, a) => c.adjustment.update({ projectId: a.project.id, adjustmentId: work.adjustmentId, voucher: VOUCHER }),
  "adjustment.delete": (c, a) => c.adjustment.delete({ projectId: a.project.id, adjustmentId: work.adjustmentId }),
  "adjustment.closingEntry": (c, a) => c.adjustment.closingEntry({ projectId: a.project.id }),
  "tax.get": (c, a) => c.tax.get({ projectId: a.project.id, choices: { allocationOre: 100 } }),
  "tax.choices": (c, a) => c.tax.choices({ projectId: a.project.id }),
  "tax.saveChoices": (c, a) => c.tax.saveChoices({ projectId: a.project.id, choices: { allocationOre: 100 } }),
  "tax.setSruOverride": (c, a) => c.tax.setSruOverride({ projectId: a.project.id, account: "6993", code: "7513" }),
  "tax.book": (c, a) => c.tax.book({ projectId: a.project.id }),
};

const VOUCHER = { date: "2025-12-31", text: "Stulen", rows: [{ account: "6570", amountOre: 100 }, { account: "1930", amountOre: -100 }] };

/** Procedures that take no firm-data id: scoped to the caller's own user or firm, with the reason. */
const ownScope: Record<string, string> = {
  "account.signUp": "creates a new user; no firm data",
  "account.me": "the caller's own user and firm",
  "account.setLocale": "the caller's own user",
  "firm.create": "creates the caller's own firm",
  "firm.members": "members of the caller's own firm",
  "firm.createInvite": "invite to the caller's own firm (owner only: server/firms/members.test.ts)",
  "firm.invites": "the caller's own firm's links (owner only)",
  "firm.rename": "renames the caller's own firm (owner only)",
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
      a = await firmWithData(h.db, "a", DEMO_ORG_NR);
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
      // Firm A has imported data, an adjustment, a schedule and an attachment, so every id below is real.
      useSieImports();
      const ref = { firmId: a.firm.id, projectId: a.project.id, userId: a.user.id };
      await importSie(h.db, ref, demoSieBytes({ vouchers: 100 }));
      work.adjustmentId = (await a.caller.adjustment.create({ projectId: a.project.id, voucher: VOUCHER })).id;
      await a.caller.schedule.saveRows({ projectId: a.project.id, account: "1930", rows: [{ text: "Kontoutdrag", amountOre: 100 }] });
      work.inviteId = (await a.caller.firm.createInvite({})).id;
      work.attachmentId = (await uploadAttachment(h.db, ref, { account: "1930" }, "kontoutdrag.pdf", (async function* () { yield pdfBytes(); })())).id;
    });
    afterAll(() => h?.close());

    it("every procedure of the router is covered by this test", () => {
      const all = Object.keys((appRouter as unknown as { _def: { procedures: Record<string, unknown> } })._def.procedures);
      const uncovered = all.filter((p) => !(p in crossFirm) && !(p in ownScope));
      expect(uncovered, "add the new procedure to crossFirm (or ownScope with a reason)").toEqual([]);
    });

    it("every procedure that takes a client or project id checks it as clientProcedure / projectProcedure, not by hand", () => {
      const all = (appRouter as unknown as { _def: { procedures: Record<string, { _def: { inputs: unknown[] } }> } })._def.procedures;
      const byHand = Object.entries(all)
        .filter(([, p]) => {
          const keys = p._def.inputs.flatMap((i) => Object.keys((i as { shape?: object }).shape ?? {}));
          const first = p._def.inputs[0];
          return (keys.includes("clientId") || keys.includes("projectId")) && first !== clientIdInput && first !== projectIdInput;
        })
        .map(([path]) => path);
      expect(byHand).toEqual([]);
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

    it("another firm's adjustment and attachment ids are not found through one's own project either", async () => {
      const before = await snapshot(h, a);
      const own = { projectId: b.project.id };
      for (const call of [
        () => b.caller.adjustment.get({ ...own, adjustmentId: work.adjustmentId }),
        () => b.caller.adjustment.update({ ...own, adjustmentId: work.adjustmentId, voucher: VOUCHER }),
        () => b.caller.adjustment.delete({ ...own, adjustmentId: work.adjustmentId }),
        () => b.caller.attachment.link({ ...own, attachmentId: work.attachmentId, target: { account: "1930" } }),
        () => b.caller.attachment.unlink({ ...own, attachmentId: work.attachmentId, target: { account: "1930" } }),
        () => b.caller.attachment.delete({ ...own, attachmentId: work.attachmentId }),
      ]) {
        await expect(call()).rejects.toMatchObject({ code: "NOT_FOUND" });
      }
      expect(await snapshot(h, a)).toEqual(before);
    });

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
      (select count(*) from fortnox_connect_attempts where client_id = ${a.client.id})::int as attempts,
      (select count(*) from schedules where firm_id = ${a.firm.id})::int as schedules,
      (select string_agg(s.comment || ':' || s.status, ',') from schedules s where s.firm_id = ${a.firm.id}) as schedule_state,
      (select string_agg(sa.account, ',' order by sa.account) from schedule_accounts sa where sa.project_id = ${a.project.id}) as schedule_accounts,
      (select string_agg(r.text || r.amount_ore, ',') from schedule_rows r join schedules s on s.id = r.schedule_id where s.firm_id = ${a.firm.id}) as schedule_rows,
      (select string_agg(a.number || a.text || a.date, ',') from adjustments a where a.firm_id = ${a.firm.id}) as adjustments,
      (select string_agg(r.account || r.amount_ore, ',' order by r.account) from adjustment_rows r join adjustments a on a.id = r.adjustment_id where a.firm_id = ${a.firm.id}) as adjustment_rows,
      (select count(*) from attachments where firm_id = ${a.firm.id})::int as attachments,
      (select string_agg(coalesce(l.account, '-'), ',' order by l.account) from attachment_links l where l.project_id = ${a.project.id}) as links,
      (select count(*) from blobs where firm_id = ${a.firm.id})::int as blobs,
      (select name from firms where id = ${a.firm.id}) as firm_name,
      (select row_to_json(t)::text from tax_choices t where t.firm_id = ${a.firm.id}) as tax_choices,
      (select string_agg(m.user_id || ':' || m.role, ',' order by m.user_id) from memberships m where m.firm_id = ${a.firm.id}) as members,
      (select string_agg(i.id || ':' || i.uses_left || ':' || coalesce(i.revoked_at::text, '-'), ',' order by i.id) from invites i where i.firm_id = ${a.firm.id}) as invites`);
  return (rows as unknown as { rows?: unknown[] }).rows ?? rows;
}
