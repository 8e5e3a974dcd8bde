import { get as httpGet, type IncomingMessage } from "node:http";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aggregateSie } from "@/server/sie";
import { generateCompany } from "./data/generator";
import { DEFAULT_TENANTS, profileOf } from "./data/tenants";
import type { SandboxServer } from "./server";
import { sieChunks } from "./sie";
import { apiClient, connect, start } from "./testing/helpers";

// The sandbox's performance bounds: 100,000 vouchers generated in under 10 s, and the SIE 4 answer streamed with
// bounded memory.

// A forced GC before each sample makes "memory in use" mean live memory, not garbage waiting for collection.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
/** Live JS heap plus Buffer memory. Two collections: Buffer memory freed by the first is sometimes still counted
 * right after it (sweeping finishes later), which made single-GC samples jump by ~6 MB at random. */
function liveBytes(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}
const MB = 1024 * 1024;

describe("generation", () => {
  it("makes 100,000 vouchers (plus 50,000 in the previous year) in under 10 s", () => {
    const t0 = performance.now();
    const co = generateCompany({
      profile: profileOf(DEFAULT_TENANTS[1]), vouchers: 100_000, currentYear: 2025, firstYearId: 7,
      costCenters: DEFAULT_TENANTS[1].costCenters, projects: DEFAULT_TENANTS[1].projects,
    });
    const ms = performance.now() - t0;
    console.log(`[perf] generated 100,000 + 50,000 vouchers in ${ms.toFixed(0)} ms`);
    expect(co.years[1].voucherCount).toBe(100_000);
    // Measured ~0.15 s on this 2-core machine; 10 s is the bound and leaves ample room for a loaded CI box.
    expect(ms).toBeLessThan(10_000);
  });

  it("reaches the top of the size range: 1,000,000 vouchers, exactly", () => {
    const t0 = performance.now();
    const co = generateCompany({ profile: profileOf(DEFAULT_TENANTS[0]), vouchers: 1_000_000, currentYear: 2025, firstYearId: 1 });
    const ms = performance.now() - t0;
    console.log(`[perf] generated 1,000,000 + 500,000 vouchers in ${ms.toFixed(0)} ms`);
    expect(co.years[1].voucherCount).toBe(1_000_000);
    expect(ms).toBeLessThan(20_000); // measured ~1.5 s; only a guard against accidental quadratic work
  });

  it("writes SIE in chunks of ~64 KB, never the whole file at once", () => {
    const co = generateCompany({ profile: profileOf(DEFAULT_TENANTS[0]), vouchers: 20_000, currentYear: 2025, firstYearId: 1 });
    let total = 0;
    let largest = 0;
    let count = 0;
    for (const chunk of sieChunks(co, { type: 4, yearIdx: 1, generatedDay: co.years[1].toDay })) {
      total += chunk.length;
      largest = Math.max(largest, chunk.length);
      count++;
    }
    expect(total).toBeGreaterThan(3 * MB);
    expect(largest).toBeLessThan(128 * 1024);
    expect(count).toBeGreaterThan(total / (128 * 1024));
  });
});

describe("SIE 4 over HTTP", () => {
  const VOUCHERS = 200_000; // ~33 MB of SIE: big enough that a buffered answer could not hide under the bound
  let s: SandboxServer;
  let api: ReturnType<typeof apiClient>;
  let token: string;

  beforeAll(async () => {
    s = await start({ currentYear: 2025, vouchers: { 1234567: VOUCHERS } });
    token = (await connect(s.url)).access_token;
    api = apiClient(s.url, token);
    expect((await api.get("companyinformation")).status).toBe(200); // generates the company before the baseline
  });
  afterAll(() => s.close());

  it("streams with bounded memory, also to a slow reader", async () => {
    // node:http rather than fetch: it reads the socket only as fast as we do, so what piles up is the server's doing.
    const baseline = liveBytes();
    const res = await new Promise<IncomingMessage>((resolve, reject) =>
      httpGet(`${s.url}/3/sie/4`, { headers: { authorization: `Bearer ${token}` } }, resolve).on("error", reject),
    );
    expect(res.statusCode).toBe(200);
    let received = 0;
    let nextSample = 2 * MB;
    let peak = 0;
    let tail = "";
    let paused = false;
    for await (const chunk of res as AsyncIterable<Buffer>) {
      received += chunk.length;
      tail = (tail + chunk.subarray(-40).toString("latin1")).slice(-40);
      if (!paused && received > 4 * MB) {
        // Stop reading for a while: a server that ignored back-pressure would now pile the rest up in memory.
        paused = true;
        await new Promise((r) => setTimeout(r, 300));
        peak = Math.max(peak, liveBytes() - baseline);
      }
      if (received >= nextSample) {
        peak = Math.max(peak, liveBytes() - baseline);
        nextSample += 2 * MB;
      }
    }
    console.log(`[perf] streamed ${(received / MB).toFixed(1)} MB of SIE 4; live memory grew by at most ${(peak / MB).toFixed(1)} MB`);
    expect(received).toBeGreaterThan(25 * MB);
    expect(tail).toMatch(/#KSUMMA \d+\r\n$/);
    // Buffering the answer would cost at least its size (31 MB); streaming holds a few 64 KB chunks (measured ~1 MB).
    expect(peak).toBeLessThan(8 * MB);
  });

  it("feeds our SIE engine as it arrives: the whole year in one request, read without holding the file", async () => {
    const baseline = liveBytes();
    const res = await api.call("sie/4");
    let peak = 0;
    let received = 0;
    let nextSample = 4 * MB;
    async function* sampled(body: ReadableStream<Uint8Array>) {
      const reader = body.getReader();
      for (;;) {
        const { done, value: chunk } = await reader.read();
        if (done) return;
        received += chunk.length;
        if (received >= nextSample) {
          peak = Math.max(peak, liveBytes() - baseline);
          nextSample += 4 * MB;
        }
        yield chunk;
      }
    }
    const result = await aggregateSie(sampled(res.body!));
    console.log(`[perf] server/sie read ${(received / MB).toFixed(1)} MB over HTTP; live memory grew by at most ${(peak / MB).toFixed(1)} MB`);
    expect(result.voucherCount).toBe(VOUCHERS);
    expect(result.ksumma).toBe("valid");
    expect(result.unbalancedVouchers).toBe(0);
    expect(peak).toBeLessThan(8 * MB);
  });
});
