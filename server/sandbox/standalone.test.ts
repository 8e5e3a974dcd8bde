import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { createRequire } from "node:module";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createSandbox } from "./app";
import { handleSandboxRequest } from "./next";
import { CLIENT_ID, FULL_SCOPE, REDIRECT, apiClient, basic } from "./testing/helpers";

// The two ways the sandbox runs outside tests: alone (`npm run sandbox`) and mounted in the app under a base path.

const root = path.resolve(import.meta.dirname, "../..");

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** Walks OAuth against a base URL by plain form posts and returns an API client. */
async function login(url: string, tenant = "1234567") {
  const form = new URLSearchParams({ client_id: CLIENT_ID, redirect_uri: REDIRECT, scope: FULL_SCOPE, state: "s", response_type: "code", tenant, decision: "approve" });
  const consent = await fetch(`${url}/oauth-v1/auth`, { method: "POST", body: form, redirect: "manual" });
  const code = new URL(consent.headers.get("location")!).searchParams.get("code")!;
  const token = await fetch(`${url}/oauth-v1/token`, {
    method: "POST", headers: { authorization: basic() },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT }),
  });
  return apiClient(url, ((await token.json()) as { access_token: string }).access_token);
}

describe("npm run sandbox", () => {
  let child: ChildProcess | null = null;
  afterEach(async () => {
    if (child && child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((r) => child!.once("exit", r));
    }
    child = null;
  });

  it("listens on PORT, prints its base URL, serves OAuth and /3, and stops cleanly on SIGTERM", async () => {
    const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
    expect(pkg.scripts.sandbox).toBe("tsx server/sandbox/main.ts"); // what we start below, minus npm
    const tsxCli = createRequire(path.join(root, "package.json")).resolve("tsx/cli");
    const port = await freePort();
    child = spawn(process.execPath, [tsxCli, "server/sandbox/main.ts"], {
      cwd: root,
      env: { ...process.env, PORT: String(port), SANDBOX_VOUCHERS: "1234567=150", SANDBOX_RATE_LIMIT: "off" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const line = await new Promise<string>((resolve, reject) => {
      let out = "";
      let err = "";
      const timer = setTimeout(() => reject(new Error(`no URL line within 20 s; stdout: ${out} stderr: ${err}`)), 20_000);
      child!.stdout!.on("data", (d) => {
        out += d;
        const l = out.split("\n").find((x) => x.includes("http://"));
        if (l) {
          clearTimeout(timer);
          resolve(l);
        }
      });
      child!.stderr!.on("data", (d) => (err += d));
      child!.once("exit", (code) => reject(new Error(`exited with ${code}: ${err}`)));
    });
    const base = `http://127.0.0.1:${port}`;
    expect(line).toContain(base);
    const api = await login(base);
    expect((await api.get("companyinformation")).body.CompanyInformation.CompanyName).toBe("Demo Konsult AB");
    // SANDBOX_* reached the sandbox: the size we asked for.
    expect((await api.get("vouchers")).body.MetaInformation["@TotalResources"]).toBe(150);
    child.kill("SIGTERM");
    const code = await new Promise((r) => child!.once("exit", r));
    expect(code).toBe(0);
  }, 30_000);
});

describe("mounted under a base path", () => {
  it("answers OAuth and /3 under /sandbox/fortnox", async () => {
    const sandbox = createSandbox({ basePath: "/sandbox/fortnox/", currentYear: 2025, rateLimit: false });
    expect(sandbox.basePath).toBe("/sandbox/fortnox");
    const origin = "http://app.local";
    const call = (url: string, init?: RequestInit) => sandbox.fetch(new Request(url, init));
    const page = await call(`${origin}/sandbox/fortnox/oauth-v1/auth?client_id=${CLIENT_ID}&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=bookkeeping&state=s&response_type=code`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('name="tenant"');
    expect((await call(`${origin}/oauth-v1/auth`)).status).toBe(404); // nothing outside the base path
    const consent = await call(`${origin}/sandbox/fortnox/oauth-v1/auth`, {
      method: "POST",
      body: new URLSearchParams({ client_id: CLIENT_ID, redirect_uri: REDIRECT, scope: "bookkeeping", state: "s", response_type: "code", tenant: "1234567", decision: "approve" }),
    });
    const code = new URL(consent.headers.get("location")!).searchParams.get("code")!;
    const token = await call(`${origin}/sandbox/fortnox/oauth-v1/token`, {
      method: "POST", headers: { authorization: basic() }, body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT }),
    });
    const { access_token } = (await token.json()) as { access_token: string };
    const list = await call(`${origin}/sandbox/fortnox/3/vouchers?limit=1`, { headers: { authorization: `Bearer ${access_token}` } });
    const body = (await list.json()) as { Vouchers: { "@url": string }[] };
    // Links point back under the base path.
    expect(body.Vouchers[0]["@url"]).toMatch(/^http:\/\/app\.local\/sandbox\/fortnox\/3\/vouchers\/A\/1\?financialyear=\d+$/);
  });

  it("inside Next a socket reset cannot happen: it becomes a 502", async () => {
    // The mount has no /control: a demo's faults come from SANDBOX_FAULTS, read when the mount is first used; the
    // client secret is chosen here explicitly (otherwise it is derived from this installation's NEXTAUTH_SECRET).
    process.env.SANDBOX_FAULTS = JSON.stringify({ 1234567: { resetBeforeCommit: 1 } });
    process.env.SANDBOX_CLIENT_SECRET = "sandbox-secret";
    const form = new URLSearchParams({ client_id: CLIENT_ID, redirect_uri: REDIRECT, scope: "bookkeeping", state: "s", response_type: "code", tenant: "1234567", decision: "approve" });
    const consent = await handleSandboxRequest(new Request("http://app.local/sandbox/fortnox/oauth-v1/auth", { method: "POST", body: form }));
    const code = new URL(consent.headers.get("location")!).searchParams.get("code")!;
    const token = await handleSandboxRequest(new Request("http://app.local/sandbox/fortnox/oauth-v1/token", {
      method: "POST", headers: { authorization: basic() }, body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT }),
    }));
    const { access_token } = (await token.json()) as { access_token: string };
    // Mounted in the app, the sandbox's current year is last year (server/sandbox/next.ts).
    const year = new Date().getUTCFullYear() - 1;
    const post = await handleSandboxRequest(new Request("http://app.local/sandbox/fortnox/3/vouchers", {
      method: "POST", headers: { authorization: `Bearer ${access_token}`, "content-type": "application/json" },
      body: JSON.stringify({ Voucher: { VoucherSeries: "A", TransactionDate: `${year}-12-01`, Description: "x", VoucherRows: [{ Account: 1930, Debit: 1 }, { Account: 2990, Credit: 1 }] } }),
    }));
    expect(post.status).toBe(502);
  });
});
