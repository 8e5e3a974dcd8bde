import { readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { resultRows, toNumber, type Db, type DbHandle } from "@/db/client";
import { accountTotals } from "@/server/closing/ledger";
import { dbTargets } from "@/server/testing/db";
import { firmWithData } from "@/server/testing/fixtures";
import { importSie, useSieImports } from "@/server/testing/ledger";

// SIE files as real programs write them, through the app's own upload path (store, queue, job, checks): one fixture
// of each shape (server/sie/fixtures/README.md), all for the same company and year 2025 (org nr 556036-0793).

const fixture = (name: string) => new Uint8Array(readFileSync(path.join(import.meta.dirname, "../sie/fixtures", name)));

describe.each(dbTargets())("uploaded SIE files of each shape on $name", (target) => {
  let handle: DbHandle;
  let db: Db;
  beforeAll(async () => {
    handle = await target.open();
    db = handle.db;
    useSieImports();
  });
  afterAll(async () => {
    await handle?.close();
  });

  async function upload(label: string, bytes: Uint8Array, name: string) {
    const f = await firmWithData(db, label);
    const imp = await importSie(db, { firmId: f.firm.id, projectId: f.project.id, userId: f.user.id }, bytes, name);
    const checks = Object.fromEntries(imp.checks.map((c) => [c.key, c]));
    const totals = await accountTotals(db, imp.id);
    const ub = (account: string) => totals.get(account)!.ibOre + totals.get(account)!.changeOre;
    return { imp, checks, ub };
  }

  test.each([
    ["sie1-year-end-balances.se", { status: "skipped", params: { reason: "sie1" } }, 0],
    ["sie2-period-balances.se", { status: "ok", params: { basis: "periods" } }, 0],
    ["sie3-objects.se", { status: "ok", params: { basis: "periods" } }, 0],
    ["sie4-rtrans-registration-day.se", { status: "ok", params: { basis: "transactions" } }, 8],
  ])("%s imports, its balances agree, and no account is flagged", async (name, balancesAgree, vouchers) => {
    const { imp, checks, ub } = await upload(name.slice(0, 4), fixture(name), name);
    expect(checks.balancesAgree).toEqual({ key: "balancesAgree", ...balancesAgree });
    expect(checks.sieYear.status).toBe("ok");
    expect(checks.orgNr.status).toBe("ok");
    expect(checks.fileWarnings).toBeUndefined();
    expect(imp.counts.vouchers).toBe(vouchers);
    expect(imp.meta).toMatchObject({ encoding: "cp437", sieType: name[3] });
    // The trial balance shows the file's closing balances, whatever the shape.
    expect([ub("1930"), ub("2611"), ub("3001"), ub("7010")]).toEqual([5_700_000, -250_000, -2_800_000, 3_000_000]);
  });

  test("SIE 4: each #RTRANS dated the day the row was added counts once, with its #TRANS twin; the corrections stay as audit trail", async () => {
    const { imp } = await upload("rtrans", fixture("sie4-rtrans-registration-day.se"), "rtrans.se");
    expect(imp.counts).toMatchObject({ vouchers: 8, rows: 22, corrections: 5 });
    const rows = resultRows<{ series: string; number: string; kind: number; account: string; amount: unknown; date: string }>(await db.execute(sql`
      select v.series, v.number, r.kind, r.account, r.amount_ore as amount, r.date::text as date
      from ledger_rows r join ledger_vouchers v on v.import_id = r.import_id and v.id = r.voucher_id
      where r.import_id = ${imp.id} and v.number = '3' order by v.series, r.kind, r.account`));
    expect(rows.map((r) => [r.series, r.kind, r.account, toNumber(r.amount), r.date])).toEqual([
      ["A", 0, "1510", 1_250_000, "2025-04-20"], ["A", 0, "2611", -250_000, "2025-04-20"], ["A", 0, "3001", -800_000, "2025-04-20"], ["A", 0, "3002", -200_000, "2025-04-20"],
      ["A", 1, "3001", -800_000, "2025-05-02"], ["A", 1, "3002", -200_000, "2025-05-02"], ["A", 2, "3001", -1_000_000, "2025-05-02"],
      ["B", 0, "1930", -100_000, "2025-09-15"], ["B", 0, "2641", 20_000, "2025-09-15"], ["B", 0, "5460", 80_000, "2025-09-15"],
      ["B", 1, "5460", 80_000, "2025-10-01"], ["B", 2, "6110", 80_000, "2025-10-01"],
    ]);
  });

  test("SIE 2 with a period balance that does not add up: the check names the account, against the period balances", async () => {
    const text = Buffer.from(fixture("sie2-period-balances.se")).toString("latin1").replace("#PSALDO 0 202509 1930 {} -1000.00", "#PSALDO 0 202509 1930 {} -1100.00");
    const { checks } = await upload("sie2bad", new Uint8Array(Buffer.from(text, "latin1")), "fel.se");
    expect(checks.balancesAgree).toMatchObject({
      status: "warning", params: { basis: "periods", count: 1 }, itemCount: 1,
      items: [{ account: "1930", expectedOre: 5_700_000, actualOre: 5_690_000, differenceOre: -10_000 }],
    });
  });

  test("a SIE 2 file without period balances says it could not check, instead of flagging every account", async () => {
    const text = Buffer.from(fixture("sie2-period-balances.se")).toString("latin1").split("\r\n").filter((l) => !l.startsWith("#PSALDO")).join("\r\n");
    const { checks } = await upload("sie2none", new Uint8Array(Buffer.from(text, "latin1")), "utan.se");
    expect(checks.balancesAgree).toEqual({ key: "balancesAgree", status: "skipped", params: { reason: "noPeriods" } });
  });

  test("SIE 2 that also lists the year before's months under year index 0 (as BL writes it): only year 0's months count", async () => {
    const lines = Buffer.from(fixture("sie2-period-balances.se")).toString("latin1").split("\r\n");
    const before = lines.filter((l) => l.startsWith("#PSALDO 0 2025")).map((l) => l.replace("#PSALDO 0 2025", "#PSALDO 0 2024"));
    const text = [...lines.slice(0, -1), ...before, ""].join("\r\n");
    const { checks } = await upload("sie2prev", new Uint8Array(Buffer.from(text, "latin1")), "bl.se");
    expect(checks.balancesAgree).toEqual({ key: "balancesAgree", status: "ok", params: { basis: "periods" } });
  });
});
