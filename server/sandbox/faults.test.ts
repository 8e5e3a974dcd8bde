import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildLedger } from "@/server/sie";
import { optionsFromEnv } from "./options";
import { startSandboxServer, type SandboxServer } from "./server";
import { apiClient, basic, connect, control, start, tokenRequest } from "./testing/helpers";

// The rate limit and every fault, over real HTTP (docs/fortnox-api.md §2, server/sandbox/README.md "Faults").

/** Awaits a request that must die on the socket; returns the low-level error code the client saw. */
async function socketError(request: Promise<unknown>): Promise<string> {
  const err = await request.then(
    () => {
      throw new Error("expected the connection to be dropped, got an answer");
    },
    (e: unknown) => e as Error & { cause?: { code?: string } },
  );
  expect(err).toBeInstanceOf(TypeError); // undici: "fetch failed"
  return err.cause?.code ?? "unknown";
}
const SOCKET_CODES = ["UND_ERR_SOCKET", "ECONNRESET", "EPIPE", "UND_ERR_CLOSED"];

const voucher = (marker: string) => ({
  Voucher: {
    VoucherSeries: "A", TransactionDate: "2025-10-01", Description: "Bokslutsjustering", Comments: marker,
    VoucherRows: [{ Account: 2990, Credit: 5000 }, { Account: 6420, Debit: 5000 }],
  },
});

describe("rate limit: 25 requests per 5 s sliding window, per client id and tenant", () => {
  let s: SandboxServer;
  beforeAll(async () => {
    s = await startSandboxServer({ currentYear: 2025, clients: [{ clientId: "sandbox-client", clientSecret: "sandbox-secret" }, { clientId: "b", clientSecret: "b" }] });
  });
  afterAll(() => s.close());
  beforeEach(() => control(s.url, "reset", {}));

  it("the 26th request within 5 s gets 429, with Retry-After when set so", async () => {
    await control(s.url, "options", { retryAfterHeader: true });
    const api = apiClient(s.url, (await connect(s.url)).access_token);
    const statuses = [];
    for (let i = 0; i < 25; i++) statuses.push((await api.call("companyinformation")).status);
    expect(statuses.every((x) => x === 200)).toBe(true);
    const res = await api.call("companyinformation");
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers.get("retry-after"))).toBeLessThanOrEqual(5);
    // Refused requests do not count: once the window has passed, the client gets a full budget again.
    await control(s.url, "clock", { advanceSeconds: 5.001 });
    for (let i = 0; i < 25; i++) expect((await api.call("companyinformation")).status).toBe(200);
    expect((await api.call("companyinformation")).status).toBe(429);
  });

  it("the window slides: requests leave it 5 s after they were made", async () => {
    const api = apiClient(s.url, (await connect(s.url)).access_token);
    for (let i = 0; i < 10; i++) expect((await api.call("companyinformation")).status).toBe(200);
    await control(s.url, "clock", { advanceSeconds: 3 });
    for (let i = 0; i < 15; i++) expect((await api.call("companyinformation")).status).toBe(200);
    expect((await api.call("companyinformation")).status).toBe(429); // a fixed 5 s bucket might have reset here or not; a sliding one is full
    await control(s.url, "clock", { advanceSeconds: 2.01 });
    for (let i = 0; i < 10; i++) expect((await api.call("companyinformation")).status).toBe(200); // the first ten left the window
    expect((await api.call("companyinformation")).status).toBe(429);
  });

  it("is counted per client and tenant", async () => {
    const a = apiClient(s.url, (await connect(s.url)).access_token);
    const otherTenant = apiClient(s.url, (await connect(s.url, { tenantId: 3456789 })).access_token);
    const service = await tokenRequest(s.url, { grant_type: "client_credentials" }, { authorization: basic("b", "b"), TenantId: "2345678" });
    const sameTenantOtherClient = apiClient(s.url, service.body.access_token as string);
    const aOn2345678 = apiClient(s.url, (await connect(s.url, { tenantId: 2345678 })).access_token);
    await Promise.all(Array.from({ length: 25 }, () => a.call("companyinformation")));
    await Promise.all(Array.from({ length: 25 }, () => aOn2345678.call("companyinformation")));
    expect((await a.call("companyinformation")).status).toBe(429);
    expect((await aOn2345678.call("companyinformation")).status).toBe(429);
    expect((await otherTenant.call("companyinformation")).status).toBe(200);
    expect((await sameTenantOtherClient.call("companyinformation")).status).toBe(200);
  });

  it("is configurable: Retry-After off (the default), other limits, off entirely (options and env)", async () => {
    const quiet = await startSandboxServer({ rateLimit: { limit: 3, windowMs: 1000 } });
    try {
      const api = apiClient(quiet.url, (await connect(quiet.url)).access_token);
      for (let i = 0; i < 3; i++) expect((await api.call("companyinformation")).status).toBe(200);
      const res = await api.call("companyinformation");
      expect(res.status).toBe(429);
      expect(res.headers.get("retry-after")).toBeNull();
    } finally {
      await quiet.close();
    }
    expect(optionsFromEnv({ SANDBOX_RATE_LIMIT: "off" }).rateLimit).toBe(false);
    expect(optionsFromEnv({ SANDBOX_RETRY_AFTER: "on" }).retryAfterHeader).toBe(true);
    expect(optionsFromEnv({ SANDBOX_UPLOAD_FIELD: "both" }).uploadFieldNames).toEqual(["file", "Filedata"]);
    expect(() => optionsFromEnv({ SANDBOX_UPLOAD_FIELD: "attachment" })).toThrow(/SANDBOX_UPLOAD_FIELD/);
    expect(optionsFromEnv({ SANDBOX_RATE_LIMIT: "24/5000" }).rateLimit).toEqual({ limit: 24, windowMs: 5000 });
  });
});

describe("faults", () => {
  let s: SandboxServer;
  let api: ReturnType<typeof apiClient>;
  const T = 1234567;
  const setFaults = async (faults: Record<string, unknown>, tenantId: number | "*" = T) => {
    const res = await control(s.url, "faults", { tenantId, ...faults });
    expect(res.status).toBe(200);
  };
  const countMarked = async (marker: string) => (await api.all("vouchers?financialyear=2", "Vouchers")).filter((v) => v.Comments === marker).length;

  beforeAll(async () => {
    // countMarked reads markers from the voucher list.
    s = await start({ currentYear: 2025, voucherListComments: true });
  });
  afterAll(() => s.close());
  beforeEach(async () => {
    await control(s.url, "reset", {});
    api = apiClient(s.url, (await connect(s.url)).access_token);
  });

  it("latency delays every API answer of the tenant, not the others", async () => {
    const other = apiClient(s.url, (await connect(s.url, { tenantId: 3456789 })).access_token);
    await api.get("companyinformation");
    await other.get("companyinformation"); // both companies generated before timing
    await setFaults({ latencyMs: 250 });
    let t = performance.now();
    expect((await api.get("companyinformation")).status).toBe(200);
    expect(performance.now() - t).toBeGreaterThanOrEqual(240);
    t = performance.now();
    await other.get("companyinformation");
    expect(performance.now() - t).toBeLessThan(200);
  });

  it("a rate of 5xx answers, seeded and so reproducible; the status is configurable", async () => {
    await setFaults({ errorRate: 1 });
    const res = await api.get("companyinformation");
    expect(res.status).toBe(503);
    await setFaults({ errorRate: 1, errorStatus: 500 });
    expect((await api.get("companyinformation")).status).toBe(500);
    const run = async () => {
      await setFaults({ errorRate: 0.3, errorStatus: 502, seed: 42 });
      const out: number[] = [];
      for (let i = 0; i < 40; i++) out.push((await api.call("financialyears")).status);
      return out;
    };
    const first = await run();
    const failures = first.filter((x) => x === 502).length;
    expect(failures).toBeGreaterThan(3);
    expect(failures).toBeLessThan(25);
    expect(first.filter((x) => x !== 502).every((x) => x === 200)).toBe(true);
    expect(await run()).toEqual(first);
  });

  it("a 429 storm answers the next N requests with 429, then recovers", async () => {
    await setFaults({ storm429: 3 });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await api.call("companyinformation")).status);
    expect(statuses).toEqual([429, 429, 429, 200, 200]);
  });

  it("reset before commit: the client sees a socket error and no voucher exists", async () => {
    await setFaults({ resetBeforeCommit: 1 });
    const code = await socketError(api.post("vouchers", voucher("before-1")));
    expect(SOCKET_CODES).toContain(code);
    expect(await countMarked("before-1")).toBe(0);
    // Only the next POST: a retry goes through.
    expect((await api.post("vouchers", voucher("before-1"))).status).toBe(201);
    expect(await countMarked("before-1")).toBe(1);
  });

  it("reset after commit: the client sees a socket error, yet the voucher exists (a blind retry duplicates it)", async () => {
    await setFaults({ resetAfterCommit: 1 });
    const code = await socketError(api.post("vouchers", voucher("after-1")));
    expect(SOCKET_CODES).toContain(code);
    expect(await countMarked("after-1")).toBe(1);
    expect((await api.post("vouchers", voucher("after-1"))).status).toBe(201);
    expect(await countMarked("after-1")).toBe(2);
  });

  it("resets hit file uploads too: after commit the file is stored", async () => {
    await setFaults({ resetAfterCommit: 1 });
    const form = new FormData();
    form.set("file", new Blob(["x"]), "a.pdf");
    await socketError(api.call("inbox?path=inbox_v", { method: "POST", body: form }));
    expect((await control(s.url, "state")).body.tenants.find((t: any) => t.tenantId === T).files).toBe(1);
  });

  it("a truncated SIE stream: headers arrive, the body breaks off, the file fails its checks", async () => {
    await setFaults({ truncateSieAfterBytes: 20_000 });
    const res = await api.call("sie/4");
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let received = 0;
    const chunks: Uint8Array[] = [];
    const err = await (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return null;
        received += value.length;
        chunks.push(value);
      }
    })().catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect(SOCKET_CODES).toContain((err as Error & { cause?: { code?: string } }).cause?.code);
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThanOrEqual(20_000);
    // What did arrive is no valid SIE file: the closing #KSUMMA is missing.
    const ledger = await buildLedger(chunks);
    expect(ledger.ksumma).not.toBe("valid");
  });

  it("token revoked mid-job: the Nth call is answered, then every token of the tenant is dead", async () => {
    const t = await connect(s.url);
    const job = apiClient(s.url, t.access_token);
    await setFaults({ revokeAfterCalls: 3 });
    expect((await job.get("companyinformation")).status).toBe(200);
    expect((await job.get("companyinformation")).status).toBe(200);
    expect((await job.get("companyinformation")).status).toBe(200);
    const dead = await job.get("companyinformation");
    expect(dead.status).toBe(401);
    expect((await api.get("companyinformation")).status).toBe(401); // the other connection of the tenant too
    const refresh = await tokenRequest(s.url, { grant_type: "refresh_token", refresh_token: t.refresh_token });
    expect(refresh).toEqual({ status: 400, body: { error: "invalid_grant", error_description: "Invalid refresh token" } });
    // A new consent gives working tokens again.
    expect((await apiClient(s.url, (await connect(s.url)).access_token).get("companyinformation")).status).toBe(200);
  });

  it("SIE unavailable: as a missing licence (2001101) or as 404", async () => {
    await setFaults({ sieUnavailable: "licence" });
    const lic = await api.call("sie/4");
    expect(lic.status).toBe(403);
    expect((await lic.json()).ErrorInformation.code).toBe(2001101);
    await setFaults({ sieUnavailable: "notfound" });
    expect((await api.call("sie/4")).status).toBe(404);
    await setFaults({ sieUnavailable: null });
    expect((await api.call("sie/4")).status).toBe(200);
  });

  it("the control endpoint targets one tenant or all, validates, clears, and reports counters", async () => {
    const other = apiClient(s.url, (await connect(s.url, { tenantId: 3456789 })).access_token);
    await setFaults({ storm429: 1 });
    expect((await other.call("companyinformation")).status).toBe(200);
    expect((await api.call("companyinformation")).status).toBe(429);
    await setFaults({ storm429: 1 }, "*");
    expect((await other.call("companyinformation")).status).toBe(429);
    const bad = await control(s.url, "faults", { tenantId: T, explode: true });
    expect(bad.status).toBe(400);
    expect((await control(s.url, "faults", { tenantId: T, errorRate: 2 })).status).toBe(400);
    await setFaults({ errorRate: 1 });
    await control(s.url, "faults", { tenantId: T, clear: true });
    expect((await api.call("companyinformation")).status).toBe(200);
    const state = (await control(s.url, "state")).body;
    expect(state.faultsInjected.storm429).toBe(2);
    expect(state.tenants.find((t: any) => t.tenantId === T).faults).toEqual({});
  });

  it("faults can be set from the environment (SANDBOX_FAULTS)", async () => {
    const env = await start(optionsFromEnv({ SANDBOX_FAULTS: JSON.stringify({ [T]: { storm429: 2 }, "*": { latencyMs: 0 } }) }));
    try {
      const a = apiClient(env.url, (await connect(env.url)).access_token);
      expect([(await a.call("companyinformation")).status, (await a.call("companyinformation")).status, (await a.call("companyinformation")).status]).toEqual([429, 429, 200]);
    } finally {
      await env.close();
    }
    expect(() => optionsFromEnv({ SANDBOX_FAULTS: "{" })).toThrow();
  });
});
