// Benchmark of the exactly-once export: N vouchers (M of them with an attachment) sent to the standalone Fortnox
// sandbox under its real rate limit (25 requests per 5 s). Prints one JSON line:
//   {"vouchers","attachments","requests","seconds","boundSeconds","http429","duplicates",…}
// boundSeconds is the least time Fortnox's limit allows for that many requests: the k-th request (0-based) may
// start no earlier than floor(k / 25) × 5 s. Targets: requests ≤ vouchers + 2 × attachments + 10,
// seconds ≤ 1.1 × boundSeconds, no 429, no duplicate.
//
//   npm run -s bench -- export [--vouchers 200] [--attachments 100] [--limit 24] [--url http://…] [--concurrency 2]
//
// --limit sets our client's limiter (default 24 per 5 s, as in production; 25 shows why not); --url uses a
// running sandbox (its rate limit as configured) instead of starting one.
import { spawn, type ChildProcess } from "node:child_process";
import { pathToFileURL } from "node:url";
import { openDb } from "@/db/client";
import { SlidingWindowLimiter } from "@/server/fortnox/limiter";
import { sandboxApi } from "@/server/import/testing/sandbox-api";
import { apiClient, connect, control } from "@/server/sandbox/testing/helpers";
import { firmWithData } from "@/server/testing/fixtures";
import { runExport } from "@/server/export/run";
import * as outbox from "@/server/export/outbox";
import { makeVouchers, MemorySource, postedVouchers, TENANT, YEAR } from "@/server/export/testing/source";
import { markersIn } from "@/server/export/voucher";

const FORTNOX_LIMIT = 25;
const FORTNOX_WINDOW_S = 5;

function arg(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Starts `npm run sandbox` (the standalone server) on a free port and returns its base URL. */
async function startStandalone(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/sandbox/main.ts"], {
    env: { ...process.env, PORT: "0", SANDBOX_YEAR: String(YEAR), SANDBOX_VOUCHERS: `${TENANT}=500` },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /Fortnox sandbox: (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`sandbox exited (${code}) before it printed its URL`)));
  });
  return { url, child };
}

export async function run(args: string[]): Promise<void> {
  const vouchers = Number(arg(args, "vouchers") ?? 200);
  const attachments = Number(arg(args, "attachments") ?? Math.floor(vouchers / 2));
  const limit = Number(arg(args, "limit") ?? 24);
  const concurrency = Number(arg(args, "concurrency") ?? 2);
  const given = arg(args, "url");
  const standalone = given ? null : await startStandalone();
  const url = given ?? standalone!.url;
  const handle = await openDb({});
  try {
    const f = await firmWithData(handle.db, "bench", "5566778899");
    const list = makeVouchers(vouchers, { withAttachments: attachments, prefix: `b${Date.now().toString(36)}-` });
    await outbox.enqueueItems(handle.db, { firmId: f.firm.id, projectId: f.project.id, voucherIds: list.map((v) => v.id), series: "B" });
    const { api, client } = await sandboxApi(url, TENANT, { limiter: new SlidingWindowLimiter({ limit, windowMs: FORTNOX_WINDOW_S * 1000 }) });

    const state0 = (await control(url, "state")).body;
    const started = performance.now();
    const r = await runExport({ db: handle.db, api, source: new MemorySource(list), projectId: f.project.id, attachmentConcurrency: concurrency });
    const seconds = (performance.now() - started) / 1000;
    const state1 = (await control(url, "state")).body;
    const requests = (state1.requests.byTenant[TENANT] ?? 0) - (state0.requests.byTenant[TENANT] ?? 0);
    const http429 = state1.rateLimited - state0.rateLimited;

    // Count what Fortnox holds, after the window has emptied so that the check itself is not refused.
    await new Promise((res) => setTimeout(res, FORTNOX_WINDOW_S * 1000 + 200));
    const rest = apiClient(url, (await connect(url, { tenantId: TENANT })).access_token);
    const years = await rest.all<{ Id: number; FromDate: string }>("financialyears", "FinancialYears");
    const fy = years.find((y) => y.FromDate === `${YEAR}-01-01`)!;
    // Voucher lists may carry no Comments: the sandbox's own record of posted vouchers says what Fortnox holds.
    const heads = (await postedVouchers(url, TENANT)).filter((v) => v.financialYearId === fy.Id);
    const copies = new Map<string, number>();
    for (const h of heads) for (const m of markersIn(h.comments ?? "")) copies.set(m, (copies.get(m) ?? 0) + 1);
    const items = await outbox.itemsOfProject(handle.db, f.project.id);
    const duplicates = items.reduce((n, i) => n + Math.max(0, (copies.get(i.marker) ?? 0) - 1), 0);
    const lost = items.filter((i) => (copies.get(i.marker) ?? 0) === 0 || i.state !== "exported").length;
    const connections = await rest.all<{ FileId: string }>("voucherfileconnections", "VoucherFileConnections");
    const atts = await outbox.attachmentsOf(handle.db, items.map((i) => i.id));
    const connectedOnce = atts.filter((a) => a.state === "connected" && connections.filter((c) => c.FileId === a.fortnoxFileId).length === 1).length;

    const boundSeconds = Math.floor(Math.max(0, requests - 1) / FORTNOX_LIMIT) * FORTNOX_WINDOW_S;
    console.log(
      JSON.stringify({
        vouchers, attachments, requests, seconds: Math.round(seconds * 100) / 100, boundSeconds, http429, duplicates,
        lost, attachmentsConnected: connectedOnce, limiter: `${limit}/${FORTNOX_WINDOW_S * 1000}`, clientRequests: client.counters.requests,
        targets: {
          requests: requests <= vouchers + 2 * attachments + 10, seconds: seconds <= 1.1 * boundSeconds, http429: http429 === 0,
          duplicates: duplicates === 0 && lost === 0 && connectedOnce === attachments && r.fatal === null,
        },
      }),
    );
  } finally {
    await handle.close();
    standalone?.child.kill("SIGTERM");
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run(process.argv.slice(2)).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
