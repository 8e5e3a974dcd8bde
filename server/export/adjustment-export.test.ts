import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db, DbHandle } from "@/db/client";
import { handleAdjustmentsSie } from "@/server/api/sie-files";
import { uploadAttachment } from "@/server/closing/attachments";
import { connectDirectly, connectionCaller, DEMO_TENANT, startTestbed, type Testbed } from "@/server/connections/testing";
import { getJob } from "@/server/jobs/queue";
import { registerJobHandler, workOnce } from "@/server/jobs/runner";
import { buildLedgerSync } from "@/server/sie";
import { dbTargets } from "@/server/testing/db";
import { pdfBytes } from "@/server/testing/files";
import { firmWithData } from "@/server/testing/fixtures";
import { DEMO_ORG_NR, demoSieBytes, importSie, useSieImports } from "@/server/testing/ledger";
import { adjustmentExportJobHandler } from "./adjustment-export";
import { sandboxTruth } from "./testing/harness";

// The export of real adjustments over a real connection: the dialog's procedures, the job, the sandbox's truth,
// and the SIE 4I download for other programs.

async function* once(bytes: Uint8Array) {
  yield bytes;
}

describe.each(dbTargets())("exporting adjustments on $name", (target) => {
  let handle: DbHandle;
  let db: Db;
  let bed: Testbed;

  beforeAll(async () => {
    handle = await target.open();
    db = handle.db;
    // Nothing locked in 2025, so the closing vouchers are welcome (the default locks up to August this year).
    bed = await startTestbed({ sandbox: { currentYear: 2026, tenants: [{ tenantId: DEMO_TENANT, lockedThrough: null }] } });
    useSieImports();
    registerJobHandler("export", adjustmentExportJobHandler(bed.runtime));
  });
  afterAll(async () => {
    await bed?.close();
    await handle?.close();
  });

  async function projectWithAdjustments(label: string) {
    const f = await firmWithData(db, label, DEMO_ORG_NR);
    const ref = { firmId: f.firm.id, projectId: f.project.id, userId: f.user.id };
    await importSie(db, ref, demoSieBytes({ year: 2025 }));
    // The attachment scopes too (the dialog's extra consent, tested in server/connections/scopes-flow.test.ts).
    await connectDirectly(db, bed, { userId: f.user.id, clientId: f.client.id, purpose: "attachments" });
    const { caller } = connectionCaller(db, bed, f.user.id);
    const accrual = await caller.adjustment.create({
      projectId: f.project.id,
      voucher: { date: "2025-12-31", text: "Upplupen revisionskostnad", rows: [{ account: "6420", amountOre: 1_500_000 }, { account: "2990", amountOre: -1_500_000 }] },
    });
    const depreciation = await caller.adjustment.create({
      projectId: f.project.id,
      voucher: { date: "2025-12-31", text: "Avskrivning inventarier", rows: [{ account: "7832", amountOre: 3_333_00 }, { account: "1229", amountOre: -3_333_00, text: "Årets avskrivning" }] },
    });
    await uploadAttachment(db, ref, { adjustmentId: accrual.id }, "revisionsoffert.pdf", once(pdfBytes("Offert revision 15 000 kr")));
    return { f, ref, caller, ids: [accrual.id, depreciation.id] };
  }

  test("check, preview, export: each voucher once in Fortnox with its attachment, numbers back in the list; again changes nothing", async () => {
    const { f, caller, ids } = await projectWithAdjustments("exp");
    const state = await caller.export.state({ projectId: f.project.id });
    expect(state.connection).toEqual({ ok: true });

    const series = await caller.export.prepare({ projectId: f.project.id, adjustmentIds: [], series: null });
    const manual = series.series.filter((s) => s.manual).map((s) => s.code);
    expect(manual.length).toBeGreaterThan(0);
    expect(series.series.some((s) => !s.manual)).toBe(true);
    const chosen = manual[0];

    const prep = await caller.export.prepare({ projectId: f.project.id, adjustmentIds: ids, series: chosen });
    expect(prep.vouchers.map((v) => v.problems)).toEqual([[], []]);
    expect(prep.vouchers[0].preview).toMatchObject({
      series: chosen, transactionDate: "2025-12-31", description: "Upplupen revisionskostnad", attachments: ["revisionsoffert.pdf"],
      rows: [{ account: 6420, debitOre: 1_500_000, creditOre: 0 }, { account: 2990, debitOre: 0, creditOre: 1_500_000 }],
    });

    const started = await caller.export.start({ projectId: f.project.id, adjustmentIds: ids, series: chosen });
    // A double click while it is queued: the same job, nothing queued twice.
    const again = await caller.export.start({ projectId: f.project.id, adjustmentIds: ids, series: chosen });
    expect(again.jobId).toBe(started.jobId);
    // Queued adjustments are locked: what Fortnox gets is what was queued.
    await expect(caller.adjustment.delete({ projectId: f.project.id, adjustmentId: ids[0] })).rejects.toMatchObject({ code: "CONFLICT" });

    expect(await workOnce(db, ["export"])).toBe(true);
    expect((await getJob(db, started.jobId!))!.state).toBe("succeeded");

    const list = await caller.adjustment.list({ projectId: f.project.id });
    expect(list.map((a) => a.status)).toEqual(["exported", "exported"]);
    const truth = await sandboxTruth(bed.sandbox.url, DEMO_TENANT, 2025);
    for (const a of list) {
      const copies = [...truth.byMarker.values()].filter((c) => c.some((x) => x.series === a.fortnoxRef!.series && x.number === a.fortnoxRef!.number));
      expect(copies, `adjustment ${a.number} once in Fortnox`).toHaveLength(1);
      expect(a.fortnoxRef!.series).toBe(chosen);
    }
    const accrual = list.find((a) => a.id === ids[0])!;
    expect(truth.connections.filter((c) => c.series === accrual.fortnoxRef!.series && c.number === accrual.fortnoxRef!.number)).toHaveLength(1);
    const markers = truth.byMarker.size;

    // Exporting them again sends nothing; the series is remembered for the client.
    const third = await caller.export.start({ projectId: f.project.id, adjustmentIds: ids, series: chosen });
    expect(third.jobId).toBeNull();
    expect((await sandboxTruth(bed.sandbox.url, DEMO_TENANT, 2025)).byMarker.size).toBe(markers);
    expect((await caller.export.state({ projectId: f.project.id })).lastSeries).toBe(chosen);
    // Exported is read-only: a correction is a new voucher.
    await expect(caller.adjustment.delete({ projectId: f.project.id, adjustmentId: ids[1] })).rejects.toMatchObject({ code: "CONFLICT" });
    const overview = await caller.project.overview({ projectId: f.project.id });
    expect(overview.steps.find((s) => s.key === "export")!.state).toBe("done");
  });

  test("pre-checks name what Fortnox would refuse: a locked period, a series not open for manual vouchers", async () => {
    const { f, caller, ids } = await projectWithAdjustments("pre");
    const all = await caller.export.prepare({ projectId: f.project.id, adjustmentIds: [], series: null });
    const automatic = all.series.find((s) => !s.manual)!.code;
    const notManual = await caller.export.prepare({ projectId: f.project.id, adjustmentIds: ids, series: automatic });
    expect(notManual.vouchers.flatMap((v) => v.problems.map((p) => p.key))).toContain("exportSeriesNotManual");
    await bed.sandbox.sandbox.control.updateTenant(DEMO_TENANT, { lockedThrough: "2025-12-31" });
    try {
      const locked = await caller.export.prepare({ projectId: f.project.id, adjustmentIds: ids, series: all.series.find((s) => s.manual)!.code });
      expect(locked.vouchers.map((v) => v.problems.map((p) => p.key))).toEqual([["exportPeriodLocked"], ["exportPeriodLocked"]]);
    } finally {
      await bed.sandbox.sandbox.control.updateTenant(DEMO_TENANT, { lockedThrough: null });
    }
  });

  test("without a usable connection the export says why, and a SIE project can only download", async () => {
    const f = await firmWithData(db, "noconn", DEMO_ORG_NR);
    const { caller } = connectionCaller(db, bed, f.user.id);
    expect((await caller.export.state({ projectId: f.project.id })).connection).toEqual({ ok: false, reasonKey: "fortnoxNotConnected" });
    await expect(caller.export.start({ projectId: f.project.id, adjustmentIds: ["00000000-0000-4000-8000-000000000000"], series: "A" })).rejects.toBeTruthy();
    await caller.project.setDataSource({ projectId: f.project.id, dataSource: "sie" });
    expect((await caller.export.state({ projectId: f.project.id })).connection).toEqual({ ok: false, reasonKey: "exportNeedsFortnoxSource" });
  });

  test("SIE 4I download of chosen adjustments: a file our own reader takes back to the öre; another firm gets nothing", async () => {
    const { f, ids } = await projectWithAdjustments("sie4i");
    const ctx = (userId: string | null) => async () => ({ db, userId, locale: "sv" as const });
    const res = await handleAdjustmentsSie(new Request(`http://localhost/api/projects/${f.project.id}/adjustments-sie?ids=${ids.join(",")}`), f.project.id, ctx(f.user.id));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment;/);
    const ledger = buildLedgerSync(new Uint8Array(await res.arrayBuffer()));
    expect(ledger.ksumma).toBe("valid");
    expect(ledger.vouchers.map((v) => [v.text, v.rows.map((r) => [r.account, r.amount])])).toEqual([
      ["Upplupen revisionskostnad", [["6420", 1_500_000], ["2990", -1_500_000]]],
      ["Avskrivning inventarier", [["7832", 333_300], ["1229", -333_300]]],
    ]);
    const other = await firmWithData(db, "sie4i-other", "2120000142");
    const denied = await handleAdjustmentsSie(new Request(`http://localhost/api/projects/${f.project.id}/adjustments-sie`), f.project.id, ctx(other.user.id));
    expect(denied.status).toBe(404);
    const signedOut = await handleAdjustmentsSie(new Request(`http://localhost/api/projects/${f.project.id}/adjustments-sie`), f.project.id, ctx(null));
    expect(signedOut.status).toBe(401);
  });
});
