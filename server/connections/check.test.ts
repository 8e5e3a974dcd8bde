import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db, type DbHandle } from "@/db/client";
import { formatProbeReport } from "@/server/fortnox/probe-report";
import { connect, control } from "@/server/sandbox/testing/helpers";
import { dbTargets } from "@/server/testing/db";
import { firmWithData } from "@/server/testing/fixtures";
import { checkStoredConnection, checkWithAccessToken, CheckUsageError } from "./check";
import { connectDirectly, oauthRoundTrip, DEMO_ORG_NR, DEMO_TENANT, startTestbed, type Testbed } from "./testing";

// `npm run fortnox:check` against the standalone sandbox over real HTTP: the report, and that it never writes.

const root = path.resolve(import.meta.dirname, "../..");

/** Every request that left for Fortnox, as the network saw it. */
function spy() {
  const sent: { method: string; url: string }[] = [];
  const f: typeof fetch = (input, init) => {
    sent.push({ method: (init?.method ?? "GET").toUpperCase(), url: typeof input === "string" ? input : input instanceof URL ? input.href : input.url });
    return fetch(input, init);
  };
  return { fetch: f, sent };
}

async function writesAtSandbox(bed: Testbed) {
  const s = (await control(bed.sandbox.url, "state")).body;
  return { vouchers: s.vouchersPosted, files: s.files, connections: s.connections };
}

describe.each(dbTargets())("fortnox:check through a stored connection on $name", (target) => {
  let handle: DbHandle;
  let db: Db;
  let bed: Testbed;
  let f: Awaited<ReturnType<typeof firmWithData>>;
  beforeAll(async () => {
    handle = await target.open();
    db = handle.db;
    bed = await startTestbed();
    f = await firmWithData(db, `check-${target.name}`, DEMO_ORG_NR);
    await connectDirectly(db, bed, { userId: f.user.id, clientId: f.client.id });
  });
  afterAll(async () => {
    await bed?.close();
    await handle?.close();
  });

  it("reports scopes, every endpoint, the keys the app relies on, the locked period, SIE and rate-limit headers: GETs only", async () => {
    const net = spy();
    const { report, header } = await checkStoredConnection(db, { config: bed.runtime.config, cipher: bed.runtime.cipher, select: "556677-8899", fetch: net.fetch });
    expect(report.company).toEqual({ name: "Demo Konsult AB", orgNr: "556677-8899", databaseNumber: String(DEMO_TENANT) });
    expect(report.scopes.stored).toEqual(expect.arrayContaining(["bookkeeping", "companyinformation", "settings"]));
    expect(report.scopes.stored).not.toContain("inbox");
    expect(report.scopes.token).toEqual(report.scopes.stored);
    // The first consent holds the import's scopes only: the attachment endpoints and /me (profile, which the app
    // never asks for) answer "missing scope", as Fortnox does, and the report says so instead of hiding them.
    expect(Object.fromEntries(report.endpoints.map((e) => [e.id, e.outcome.result]))).toEqual({
      companyinformation: "ok", me: "missing_scope", financialyears: "ok", accounts: "ok", vouchers: "ok", voucherseries: "ok", sie: "ok",
      lockedperiod: "ok", invoices: "ok", invoicepayments: "ok", supplierinvoices: "ok", supplierinvoicepayments: "ok",
      voucherfileconnections: "missing_scope", inbox: "missing_scope",
    });
    // The sandbox's defaults are Fortnox's documented shapes: lists without Comments or AmountCurrency.
    expect(report.voucherListComments.answer).toBe("no");
    expect(report.paymentListAmountCurrency.invoicepayments.answer).toBe("no");
    expect(report.sieContentType).toBe("application/octet-stream");
    expect(report.meWrapperKey).toBeNull();
    expect(report.lockedPeriod).toMatchObject({ answered: true, wrapper: true, hasDate: true });
    expect(report.rateLimitHeaders).toEqual({});
    expect(report.retryAfterSeen).toBe(false);
    expect(header.map(([label]) => label)).toEqual(["Connection", "Token refreshes at Fortnox's OAuth"]);

    // Read-only: every request to the API is a GET, and the sandbox saw no write.
    const api = net.sent.filter((s) => s.url.startsWith(bed.runtime.config.apiUrl));
    expect(api.length).toBe(report.requests.get);
    expect(api.every((s) => s.method === "GET")).toBe(true);
    expect(net.sent.filter((s) => s.method !== "GET").every((s) => s.url === `${bed.runtime.config.oauthUrl}/token`)).toBe(true);
    expect(await writesAtSandbox(bed)).toEqual({ vouchers: {}, files: {}, connections: {} });

    const text = formatProbeReport(report, header);
    expect(text).toMatch(/^Fortnox check: read-only \(GET requests only\)/);
    expect(text).toMatch(/voucher lists carry Comments\s+no/);
    expect(text).toMatch(/\/inbox\s+inbox\s+MISSING SCOPE/);
    expect(text).toMatch(/SIE download Content-Type\s+application\/octet-stream/);
    expect(text).toMatch(/locked period\s+locked through \d{4}-\d{2}-\d{2}/);
    expect(text).toMatch(/Retry-After\s+not seen \(no 429 during the probe\)/);
  });

  it("after the export's extra consent, and with a Fortnox whose voucher lists carry Comments: both reported as they are", async () => {
    const rt = await oauthRoundTrip(db, bed, { userId: f.user.id, clientId: f.client.id, purpose: "attachments", projectId: f.project.id });
    expect(rt.location.searchParams.get("fortnox")).toBe("connected");
    await control(bed.sandbox.url, "options", { voucherListComments: true });
    try {
      const { report } = await checkStoredConnection(db, { config: bed.runtime.config, cipher: bed.runtime.cipher, select: DEMO_ORG_NR });
      expect(report.scopes.stored).toEqual(expect.arrayContaining(["bookkeeping", "inbox", "connectfile"]));
      const by = Object.fromEntries(report.endpoints.map((e) => [e.id, e.outcome.result]));
      expect([by.inbox, by.voucherfileconnections, by.vouchers]).toEqual(["ok", "ok", "ok"]);
      expect(report.voucherListComments.answer).toBe("yes");
      expect(formatProbeReport(report)).toMatch(/voucher lists carry Comments\s+yes/);
    } finally {
      await control(bed.sandbox.url, "options", { voucherListComments: false });
    }
  });

  it("a company without the invoicing modules: those endpoints say no licence, the rest answers", async () => {
    await control(bed.sandbox.url, `tenants/${DEMO_TENANT}`, { licences: ["bookkeeping", "companyinformation", "profile", "settings", "payment", "inbox", "archive", "connectfile"] });
    try {
      const { report } = await checkStoredConnection(db, { config: bed.runtime.config, cipher: bed.runtime.cipher, select: DEMO_ORG_NR });
      const by = Object.fromEntries(report.endpoints.map((e) => [e.id, e.outcome]));
      expect(by.invoices).toEqual({ result: "no_licence", status: 403, code: 2001101 });
      expect(by.supplierinvoices).toEqual({ result: "no_licence", status: 403, code: 2001101 });
      expect(by.vouchers.result).toBe("ok");
      expect(formatProbeReport(report)).toMatch(/\/invoices\s+invoice\s+NO LICENCE \(2001101\)/);
    } finally {
      await control(bed.sandbox.url, `tenants/${DEMO_TENANT}`, { licences: ["bookkeeping", "companyinformation", "profile", "settings", "invoice", "payment", "supplierinvoice", "inbox", "archive", "connectfile"] });
    }
  });

  it("names what it cannot find", async () => {
    await expect(checkStoredConnection(db, { config: bed.runtime.config, cipher: bed.runtime.cipher, select: "212000-0142" })).rejects.toBeInstanceOf(CheckUsageError);
    await expect(checkStoredConnection(db, { config: bed.runtime.config, cipher: bed.runtime.cipher, select: "hello" })).rejects.toThrow(/neither a client id nor an organisation number/);
  });
});

describe("fortnox:check as an operator runs it", () => {
  let bed: Testbed;
  const dir = mkdtempSync(path.join(tmpdir(), "fortnox-check-"));
  beforeAll(async () => {
    bed = await startTestbed();
  });
  afterAll(async () => {
    await bed?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function run(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(path.join(root, "node_modules/.bin/tsx"), ["scripts/fortnox-check.ts", ...args], { cwd: root, env: { PATH: process.env.PATH!, NODE_ENV: "test", ...env } }, (err, stdout, stderr) =>
        resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
      );
    });
  }

  it("with an access token whose consent lacks scopes: the report names them as missing scope", async () => {
    const tokens = await connect(bed.sandbox.url, { tenantId: DEMO_TENANT, scope: "bookkeeping companyinformation" });
    const direct = await checkWithAccessToken({ apiUrl: bed.runtime.config.apiUrl, accessToken: tokens.access_token });
    expect(direct.report.scopes.token).toEqual(["bookkeeping", "companyinformation"]);
    const { code, stdout } = await run([], { FORTNOX_ACCESS_TOKEN: tokens.access_token, FORTNOX_API_URL: bed.runtime.config.apiUrl });
    expect(code).toBe(0);
    expect(stdout).toMatch(/\/settings\/lockedperiod\s+settings \(UNCONFIRMED\)\s+MISSING SCOPE \(2000663\)/);
    expect(stdout).toMatch(/\/invoices\s+invoice\s+MISSING SCOPE/);
    expect(stdout).toMatch(/\/vouchers\s+bookkeeping\s+ok/);
    expect(stdout).toMatch(/locked period\s+no answer/);
    expect(stdout).toMatch(/Credentials\s+an access token from FORTNOX_ACCESS_TOKEN/);
    expect(stdout).not.toContain(tokens.access_token);
  });

  it("with the app's own database and keys (--client, --json); a usage error exits 2", { timeout: 180_000 }, async () => {
    const dataDir = path.join(dir, "pglite");
    const h = await openDb({ dataDir });
    const f = await firmWithData(h.db, "check-cli", DEMO_ORG_NR);
    await connectDirectly(h.db, bed, { userId: f.user.id, clientId: f.client.id });
    await h.close(); // PGlite is one process's: the CLI opens it next
    const env = {
      PGLITE_DIR: dataDir, TOKEN_ENCRYPTION_KEY: bed.env.TOKEN_ENCRYPTION_KEY, NEXTAUTH_SECRET: bed.env.NEXTAUTH_SECRET,
      FORTNOX_CLIENT_ID: "sandbox-client", FORTNOX_CLIENT_SECRET: "sandbox-secret",
      FORTNOX_API_URL: bed.runtime.config.apiUrl, FORTNOX_OAUTH_URL: bed.runtime.config.oauthUrl,
    };
    const before = (await control(bed.sandbox.url, "state")).body;
    const { code, stdout, stderr } = await run(["--client", f.client.id, "--json"], env);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.company.name).toBe("Demo Konsult AB");
    expect(report.requests).toMatchObject({ other: 0, http429: 0 });
    const notOk = report.endpoints.filter((e: { outcome: { result: string } }) => e.outcome.result !== "ok").map((e: { id: string; outcome: { result: string } }) => `${e.id}:${e.outcome.result}`);
    expect(notOk.sort()).toEqual(["inbox:missing_scope", "me:missing_scope", "voucherfileconnections:missing_scope"]);
    const after = (await control(bed.sandbox.url, "state")).body;
    expect([after.vouchersPosted, after.files, after.connections]).toEqual([before.vouchersPosted, before.files, before.connections]);
    expect(await run(["--client"], env)).toMatchObject({ code: 2 });
  });
});
