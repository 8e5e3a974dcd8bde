// `npm run fortnox:check -- --client <client id | org nr> [--json]`, or with FORTNOX_ACCESS_TOKEN set:
// a read-only probe of one connected Fortnox tenant before going live (README, "Real Fortnox").
import path from "node:path";
import { openDb } from "@/db/client";
import { CheckUsageError, checkStoredConnection, checkWithAccessToken, type CheckOutcome } from "@/server/connections/check";
import { fortnoxConfigFromEnv } from "@/server/connections/config";
import { env } from "@/server/env";
import { createTokenCipher, parseKeyEnv } from "@/server/fortnox/crypto";
import { formatProbeReport } from "@/server/fortnox/probe-report";

const USAGE = `usage: npm run fortnox:check -- --client <client id | organisation number> [--json]
       FORTNOX_ACCESS_TOKEN=<token> npm run fortnox:check [-- --json]
Reads the app's database (DATABASE_URL, else the embedded one in .data/pglite: stop the app first) with
TOKEN_ENCRYPTION_KEY and FORTNOX_CLIENT_ID/SECRET/FORTNOX_*_URL as the app has them. Only GET requests reach the API.`;

async function main(argv: string[]): Promise<number> {
  const json = argv.includes("--json");
  const at = argv.indexOf("--client");
  const select = at >= 0 ? argv[at + 1] : undefined;
  if (argv.includes("--help") || (at >= 0 && !select)) {
    process.stderr.write(USAGE + "\n");
    return 2;
  }
  let outcome: CheckOutcome;
  const token = process.env.FORTNOX_ACCESS_TOKEN;
  if (token && !select) {
    outcome = await checkWithAccessToken({ apiUrl: (process.env.FORTNOX_API_URL ?? "https://api.fortnox.se/3").replace(/\/+$/, ""), accessToken: token });
  } else if (select) {
    const e = env();
    const handle = await openDb({ url: e.DATABASE_URL, dataDir: process.env.PGLITE_DIR || path.join(process.cwd(), ".data", "pglite") });
    try {
      outcome = await checkStoredConnection(handle.db, { config: fortnoxConfigFromEnv(e), cipher: createTokenCipher(parseKeyEnv(e.TOKEN_ENCRYPTION_KEY)), select });
    } finally {
      await handle.close();
    }
  } else {
    process.stderr.write(USAGE + "\n");
    return 2;
  }
  process.stdout.write(json ? JSON.stringify({ header: Object.fromEntries(outcome.header), ...outcome.report }, null, 2) + "\n" : formatProbeReport(outcome.report, outcome.header));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => {
    if (err instanceof CheckUsageError) {
      process.stderr.write(`${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    // A connection that cannot be used (needs reconnect, not connected) names its message key.
    const key = (err as { key?: string })?.key;
    process.stderr.write(`fortnox:check failed: ${key ?? (err as Error)?.message ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
