import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { openDb, type Db } from "@/db/client";
import { createCaller } from "@/server/api/root";
import { createAdjustment } from "@/server/closing/adjustments";
import { accountAnalysis } from "@/server/closing/analysis";
import { saveScheduleRows } from "@/server/closing/account-schedules";
import { trialBalance, type SectionNode } from "@/server/closing/trial-balance";
import { importJobHandler } from "@/server/import/job";
import { startSieImport } from "@/server/import/project-imports";
import { getJob } from "@/server/jobs/queue";
import { registerJobHandler, workOnce } from "@/server/jobs/runner";
import { generateCompany } from "@/server/sandbox/data/generator";
import { DEFAULT_TENANTS, profileOf } from "@/server/sandbox/data/tenants";
import { sieChunks } from "@/server/sandbox/sie";
import { dbTargets } from "@/server/testing/db";

// Server-side latency of the closing views for a big company: the sandbox generator writes a SIE 4 file of a
// year with N vouchers (default 100,000), it is imported through the SIE upload path, and the domain functions
// behind the trial balance and the account analysis are timed. Prints one JSON line; never fails on time.
//
//   npm run -s bench -- closing [--vouchers 100000] [--runs 30] [--postgres]
//
// --postgres runs on a fresh database of the DATABASE_URL server (dropped afterwards); default is in-memory PGlite.

function arg(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

async function timed<T>(runs: number, fn: (i: number) => Promise<T>) {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn(i);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 10) / 10;
  return { p50Ms: r(percentile(ms, 50)), p95Ms: r(percentile(ms, 95)), runs };
}

const log = (s: string) => process.stderr.write(`[bench closing] ${s}\n`);

async function importCompany(db: Db, vouchers: number) {
  const tenant = DEFAULT_TENANTS[0];
  const anon = createCaller({ db, userId: null, locale: "sv" });
  const user = await anon.account.signUp({ name: "Bänk Bänksson", email: `bench-${Date.now()}@example.se`, password: "correct horse battery" });
  const caller = createCaller({ db, userId: user.id, locale: "sv" });
  const firm = await caller.firm.create({ name: "Bänkbyrån" });
  const client = await caller.client.create({ name: tenant.name, orgNr: tenant.orgNr.replace("-", "") });
  const project = await caller.project.create({ clientId: client.id, startDate: "2025-01-01", endDate: "2025-12-31", dataSource: "sie" });
  // The exported year is the generator's first one: give it the requested size.
  const co = generateCompany({ profile: profileOf(tenant), vouchers: Math.max(100, Math.round(vouchers / 2)), previousVouchers: vouchers, currentYear: 2026, firstYearId: tenant.firstYearId });
  registerJobHandler("import", importJobHandler({ fortnoxFor: async () => { throw new Error("SIE only"); } }));
  const ref = { firmId: firm.id, projectId: project.id, userId: user.id };
  async function* body() {
    for (const chunk of sieChunks(co, { type: 4, yearIdx: 0, generatedDay: 20_000 })) yield new Uint8Array(chunk);
  }
  const t0 = performance.now();
  const job = await startSieImport(db, ref, "bench.se", body());
  await workOnce(db, ["import"]);
  const done = await getJob(db, job.id);
  if (done?.state !== "succeeded") throw new Error(`import failed: ${done?.errorKey}`);
  return { ref, importSeconds: Math.round((performance.now() - t0) / 100) / 10, counts: (done.result ?? {}) as Record<string, unknown> };
}

const accountsOf = (sections: SectionNode[]): { number: string; rowCount: number; adjustedOre: number }[] =>
  sections.flatMap((s) => [...s.groups.flatMap((g) => g.accounts), ...accountsOf(s.children)]);

export async function run(args: string[]): Promise<void> {
  const vouchers = Number(arg(args, "vouchers") ?? 100_000);
  const runs = Number(arg(args, "runs") ?? 30);
  // PostgreSQL: a fresh database on the DATABASE_URL server, dropped afterwards (as the tests do).
  const pg = args.includes("--postgres") ? dbTargets().find((t) => t.name === "postgres") : undefined;
  if (args.includes("--postgres") && !pg) throw new Error("--postgres needs DATABASE_URL");
  const handle = pg ? await pg.open() : await openDb({});
  const db = handle.db;
  try {
    log(`generating and importing ${vouchers} vouchers on ${handle.kind} …`);
    const { ref, importSeconds } = await importCompany(db, vouchers);
    log(`imported in ${importSeconds} s`);

    // The first read computes the per-account totals of the import once; every later read uses them.
    let t0 = performance.now();
    let tb = await trialBalance(db, ref.projectId);
    const coldMs = Math.round(performance.now() - t0);
    const accounts = [...accountsOf(tb.balance), ...accountsOf(tb.income)];
    const rows = accounts.reduce((s, a) => s + a.rowCount, 0);

    // A closing in progress: schedules on the balance-sheet accounts, a few dozen adjustments.
    const bs = accountsOf(tb.balance).filter((a) => a.adjustedOre !== 0);
    for (const a of bs) await saveScheduleRows(db, ref, a.number, [{ text: "Specifikation", amountOre: a.adjustedOre }]);
    for (let i = 0; i < 40; i++) {
      await createAdjustment(db, ref, { date: "2025-12-31", text: `Justering ${i + 1}`, rows: [{ account: "6570", amountOre: 100 + i }, { account: "1930", amountOre: -(100 + i) }] });
    }
    tb = await trialBalance(db, ref.projectId);
    const trial = await timed(runs, () => trialBalance(db, ref.projectId));
    log(`trial balance p50 ${trial.p50Ms} ms`);

    // The account with the most rows (a bank or receivables account), page by page.
    const busiest = [...accounts].sort((a, b) => b.rowCount - a.rowCount)[0];
    t0 = performance.now();
    const first = await accountAnalysis(db, ref.projectId, busiest.number, { limit: 100 });
    const firstColdMs = Math.round(performance.now() - t0);
    const firstPage = await timed(runs, () => accountAnalysis(db, ref.projectId, busiest.number, { limit: 100 }));
    // Walk a stretch forwards to get cursors in the middle, then time the middle and the last page.
    let cursor = first.page.next!;
    for (let i = 0; i < Math.floor(busiest.rowCount / 200); i++) {
      const p = await accountAnalysis(db, ref.projectId, busiest.number, { limit: 100, after: cursor });
      if (!p.page.next) break;
      cursor = p.page.next;
    }
    const middlePage = await timed(runs, () => accountAnalysis(db, ref.projectId, busiest.number, { limit: 100, after: cursor }));
    const lastPage = await timed(runs, () => accountAnalysis(db, ref.projectId, busiest.number, { limit: 100, before: "end" }));
    const withCorrections = await timed(runs, () => accountAnalysis(db, ref.projectId, busiest.number, { limit: 100, corrections: true }));
    log(`analysis of ${busiest.number} (${busiest.rowCount} rows) p50 ${firstPage.p50Ms} ms`);

    const out = {
      benchmark: "closing",
      db: handle.kind,
      vouchers,
      rows,
      accounts: accounts.length,
      schedules: bs.length,
      adjustments: 40,
      importSeconds,
      trialBalance: { coldMs, ...trial },
      analysis: { account: busiest.number, accountRows: busiest.rowCount, pageRows: 100, firstColdMs, firstPage, middlePage, lastPage, withCorrections },
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } finally {
    await handle.close();
  }
}

// Also runnable on its own: `npx tsx bench/closing.ts --vouchers 20000`.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  run(process.argv.slice(2)).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
