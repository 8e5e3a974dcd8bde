// npm run -s bench -- import --vouchers N
// Imports a year of N vouchers from the standalone sandbox (its own process, Fortnox's rate limit on) into a fresh
// PostgreSQL database (DATABASE_URL, default the local server), then measures the floor in the same run: parsing
// the same SIE bytes and bulk-inserting the same rows into an empty table, nothing else. Prints one JSON line.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { openDb } from "@/db/client";
import { createFortnoxApi } from "@/server/fortnox/resources";
import { createFortnoxClient, createCounters } from "@/server/fortnox/http";
import { importJobHandler } from "@/server/import/job";
import { startFortnoxImport } from "@/server/import/project-imports";
import { arrayLiteral } from "@/server/import/writer";
import { registerJobHandler, workOnce } from "@/server/jobs/runner";
import { apiClient, connect } from "@/server/sandbox/testing/helpers";
import { parseSieStream } from "@/server/sie";
import { firmWithData } from "@/server/testing/fixtures";

const TENANT = 1_234_567;
const YEAR = 2025;
const log = (s: string) => process.stderr.write(`${s}\n`);

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

async function startStandaloneSandbox(vouchers: number): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/sandbox/main.ts"], {
    env: { ...process.env, PORT: "0", SANDBOX_VOUCHERS: `${TENANT}=${vouchers}`, SANDBOX_YEAR: String(YEAR) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = "";
    child.stdout!.on("data", (d: Buffer) => {
      buf += d.toString();
      const m = /Fortnox sandbox: (http:\/\/\S+?) /.exec(buf);
      if (m) resolve(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`sandbox exited with ${code}`)));
  });
  return { url, child };
}

async function freshDatabase(base: string) {
  const name = `sb_bench_${randomBytes(5).toString("hex")}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const u = new URL(base);
  u.pathname = `/${name}`;
  return { url: u.toString(), drop: async () => (await admin.unsafe(`drop database if exists ${name} with (force)`), await admin.end()) };
}

export async function run(args: string[]) {
  const vouchers = arg(args, "vouchers", 100_000);
  const base = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
  log(`bench import: ${vouchers} vouchers, sandbox in its own process, PostgreSQL ${new URL(base).host}`);
  const sandbox = await startStandaloneSandbox(vouchers);
  const database = await freshDatabase(base);
  const handle = await openDb({ url: database.url });
  const db = handle.db;
  try {
    const tokens = await connect(sandbox.url, { tenantId: TENANT });
    const counters = createCounters();
    let ledgerPages = 0;
    const client = createFortnoxClient({
      apiUrl: `${sandbox.url}/3`,
      getAccessToken: async () => tokens.access_token,
      limiterKey: `bench-${Date.now()}`,
      counters,
      hooks: {
        onResponse: (e) => {
          if (process.env.BENCH_DEBUG) log(`    ${e.status} ${e.path}`);
          if (/\/(invoices|invoicepayments|supplierinvoices|supplierinvoicepayments)(\?|$)/.test(e.path)) ledgerPages++;
        },
      },
    });
    const api = createFortnoxApi(client);
    const handler = importJobHandler({ fortnoxFor: async () => api });
    let lastStep = "";
    let stepAt = 0;
    // Step timings on stderr: where the time goes.
    registerJobHandler("import", (ctx) =>
      handler({
        ...ctx,
        progress: (p) => {
          if (p.step !== lastStep) {
            const now = performance.now();
            if (lastStep) log(`  ${lastStep}: ${((now - stepAt) / 1000).toFixed(2)} s`);
            lastStep = p.step;
            stepAt = now;
          }
          ctx.progress(p);
        },
      }),
    );
    const f = await firmWithData(db, "bench", "5566778899");
    await db.execute(sql`update projects set start_date = ${`${YEAR}-01-01`}, end_date = ${`${YEAR}-12-31`} where id = ${f.project.id}`);

    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
    const t0 = performance.now();
    await startFortnoxImport(db, { firmId: f.firm.id, projectId: f.project.id, userId: f.user.id }, "fortnox");
    await workOnce(db, ["import"]);
    const seconds = (performance.now() - t0) / 1000;
    log(`  ${lastStep}: ${((performance.now() - stepAt) / 1000).toFixed(2)} s`);
    clearInterval(sampler);
    const [job] = (await db.execute(sql`select state, error_key, result from jobs where project_id = ${f.project.id}`)) as unknown as { state: string; error_key: string | null; result: Record<string, number> }[];
    if (job.state !== "succeeded") throw new Error(`import failed: ${job.error_key}`);
    log(`import: ${seconds.toFixed(2)} s, ${counters.requests} requests (${ledgerPages} ledger pages), ${counters.http429} × 429`);

    // The floor: the same SIE bytes, parsed and bulk-inserted into an empty table, nothing else.
    const rest = apiClient(sandbox.url, tokens.access_token);
    const years = await rest.all<{ Id: number; FromDate: string }>("financialyears", "FinancialYears");
    const fy = years.find((y) => y.FromDate === `${YEAR}-01-01`)!;
    const bytes = new Uint8Array(await (await rest.call(`sie/4?financialyear=${fy.Id}`)).arrayBuffer());
    // Same columns as ledger_rows, no index, no constraint, one statement per 8,000 rows, nothing else.
    await db.execute(sql`create table floor_rows (like ledger_rows)`);
    const f0 = performance.now();
    const empty = () => ({ v: [] as number[], s: [] as number[], k: [] as number[], a: [] as string[], m: [] as number[], d: [] as (string | null)[], t: [] as (string | null)[], q: [] as (number | null)[], o: [] as (string | null)[], g: [] as (string | null)[] });
    let cols = empty();
    let n = 0;
    let rows = 0;
    const flush = async () => {
      const c = cols;
      cols = empty();
      await db.execute(sql`insert into floor_rows (import_id, voucher_id, seq, kind, account, amount_ore, date, text, quantity, objects, sign)
        select ${"00000000-0000-4000-8000-000000000000"}::uuid, * from unnest(${arrayLiteral(c.v)}::int4[], ${arrayLiteral(c.s)}::int2[],
        ${arrayLiteral(c.k)}::int2[], ${arrayLiteral(c.a)}::text[], ${arrayLiteral(c.m)}::int8[], ${arrayLiteral(c.d)}::date[],
        ${arrayLiteral(c.t)}::text[], ${arrayLiteral(c.q)}::float8[], ${arrayLiteral(c.o)}::jsonb[], ${arrayLiteral(c.g)}::text[])`);
    };
    await parseSieStream(bytes, {
      onVoucher: async (v) => {
        n++;
        v.rows.forEach((r, i) => {
          cols.v.push(n);
          cols.s.push(i);
          cols.k.push(0);
          cols.a.push(r.account);
          cols.m.push(r.amount);
          cols.d.push(r.date ?? v.date);
          cols.t.push(r.text || null);
          cols.q.push(r.quantity);
          cols.o.push(r.objects.length ? JSON.stringify(r.objects.map((x) => [x.dim, x.object])) : null);
          cols.g.push(r.sign || null);
          rows++;
        });
        if (cols.v.length >= 8_000) await flush();
      },
    });
    await flush();
    const floorSeconds = (performance.now() - f0) / 1000;
    log(`floor: ${floorSeconds.toFixed(2)} s for ${(bytes.length / 1e6).toFixed(1)} MB, ${rows} rows`);

    const out = {
      vouchers: job.result.vouchers,
      rows: job.result.rows,
      seconds: Number(seconds.toFixed(2)),
      floorSeconds: Number(floorSeconds.toFixed(2)),
      requests: counters.requests,
      ledgerPages,
      http429: counters.http429,
      peakRssMb: Math.round(peakRss / 1024 / 1024),
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } finally {
    await handle.close();
    await database.drop();
    sandbox.child.kill();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run(process.argv.slice(2));
