// Test helpers of the export: an in-memory voucher source, vouchers the sandbox accepts, and the sandbox's truth
// (read over its REST API with a token of our own) to hold the outbox against.
import { expect } from "vitest";
import type { Db } from "@/db/client";
import { apiClient, connect, control } from "@/server/sandbox/testing/helpers";
import * as outbox from "../outbox";
import type { ExportVoucher } from "../types";
import { markersIn } from "../voucher";
import { type MemorySource, postedVouchers, TENANT, YEAR } from "./source";

export * from "./source";

export interface SandboxTruth {
  /** Vouchers carrying each marker. */
  byMarker: Map<string, { series: string; number: number }[]>;
  connections: { fileId: string; series: string; number: number }[];
  files: number;
  counters: Record<string, any>;
  /** API requests this read made itself (to subtract from the sandbox's counters). */
  restRequests: number;
}

/** API requests the sandbox has answered for a tenant. */
export async function apiRequests(url: string, tenantId = TENANT): Promise<number> {
  return (await control(url, "state")).body.requests.byTenant[tenantId] ?? 0;
}

/** What the sandbox holds, read over its REST API and control state. */
export async function sandboxTruth(url: string, tenantId = TENANT, year = YEAR): Promise<SandboxTruth> {
  const startCount = await apiRequests(url, tenantId);
  const tokens = await connect(url, { tenantId });
  const rest = apiClient(url, tokens.access_token);
  const years = await rest.all<{ Id: number; FromDate: string }>("financialyears", "FinancialYears");
  const fy = years.find((y) => y.FromDate === `${year}-01-01`)!;
  // The sandbox's own record of posted vouchers: voucher lists may carry no Comments (voucherListComments).
  const vouchers = (await postedVouchers(url, tenantId)).filter((v) => v.financialYearId === fy.Id);
  const byMarker = new Map<string, { series: string; number: number }[]>();
  for (const v of vouchers) {
    for (const m of markersIn(v.comments ?? "")) byMarker.set(m, [...(byMarker.get(m) ?? []), { series: v.series, number: v.number }]);
  }
  const conns = await rest.all<{ FileId: string; VoucherSeries: string; VoucherNumber: string | number }>("voucherfileconnections", "VoucherFileConnections");
  const state = (await control(url, "state")).body;
  const tenant = (state.tenants as { tenantId: number; files: number }[]).find((t) => t.tenantId === tenantId)!;
  return {
    byMarker,
    connections: conns.map((c) => ({ fileId: c.FileId, series: c.VoucherSeries, number: Number(c.VoucherNumber) })),
    files: tenant.files,
    counters: state,
    restRequests: (state.requests.byTenant[tenantId] ?? 0) - startCount,
  };
}

/**
 * Every voucher exactly once in Fortnox, and the outbox agrees: its one live item is exported with the number
 * Fortnox gave the one voucher carrying any of its markers, each attachment connected exactly once to it, and the
 * source was told. Returns the items for further checks.
 */
export async function expectExactlyOnce(db: Db, projectId: string, vouchers: ExportVoucher[], truth: SandboxTruth, source?: MemorySource) {
  const items = await outbox.itemsOfProject(db, projectId);
  const atts = await outbox.attachmentsOf(db, items.map((i) => i.id));
  for (const v of vouchers) {
    const mine = items.filter((i) => i.voucherId === v.id);
    const live = mine.filter((i) => i.state !== "failed");
    expect(live.map((i) => i.state), `live items of ${v.id}`).toEqual(["exported"]);
    const copies = mine.flatMap((i) => truth.byMarker.get(i.marker) ?? []);
    expect(copies, `copies of ${v.id} in Fortnox`).toHaveLength(1);
    const item = live[0];
    expect({ series: item.fortnoxSeries, number: item.fortnoxNumber }, `number of ${v.id}`).toEqual(copies[0]);
    const rows = atts.filter((a) => a.itemId === item.id);
    expect(rows.map((r) => r.attachmentId).sort()).toEqual(v.attachments.map((a) => a.id).sort());
    for (const r of rows) {
      expect(r.state, `attachment ${r.attachmentId}`).toBe("connected");
      const c = truth.connections.filter((x) => x.fileId === r.fortnoxFileId);
      expect(c, `connection of ${r.attachmentId}`).toEqual([{ fileId: r.fortnoxFileId, series: item.fortnoxSeries, number: item.fortnoxNumber }]);
    }
    const onVoucher = truth.connections.filter((x) => x.series === item.fortnoxSeries && x.number === item.fortnoxNumber);
    expect(onVoucher, `files on ${v.id}`).toHaveLength(v.attachments.length);
    expect(item.reportedAt, `${v.id} reported to the source`).not.toBeNull();
    if (source) {
      const reports = source.reports.filter((r) => r.id === v.id);
      expect(reports.length, `reports of ${v.id}`).toBeGreaterThan(0);
      for (const r of reports) expect(r.ref).toMatchObject({ series: item.fortnoxSeries, number: item.fortnoxNumber });
    }
  }
  return { items, atts };
}
