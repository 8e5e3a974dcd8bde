import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { aggregateSie, buildLedgerSync, readSie, type SieItem } from "./stream";
import { HEADER, sie } from "./testing";
import { SieError } from "./warnings";

const valid = sie([
  ...HEADER, "#KSUMMA", '#KONTO 1930 "Företagskonto"', '#KONTO 3001 "Försäljning"', '#DIM 1 "KS"', '#OBJEKT 1 "N" "Nord"',
  "#IB 0 1930 100.00", "#UB 0 1930 150.00", "#RES 0 3001 -50.00", '#PSALDO 0 202301 3001 {1 "N"} -50.00 1.5',
  '#VER A 1 20230105 "Faktura \\"1\\""', "{", '\t#TRANS 1930 {1 "N"} 50.00 "" "" 0', '\t#RTRANS 3001 {} -50.00 "" "" 0 "Eva"',
  '\t#TRANS 3001 {} -50.00 "" "" 0', '\t#BTRANS 3001 {} -5.00 20230106 "x" 2.000000 "Eva"', "}", "#KSUMMA 12345",
]);

type Mutation = { at: number; kind: number; bytes: number[]; len: number };
const mutation = fc.record({
  at: fc.nat(), kind: fc.nat(5), len: fc.nat(40),
  bytes: fc.array(fc.oneof(fc.constantFrom(0x22, 0x7b, 0x7d, 0x5c, 0x23, 0x0a, 0x0d, 0x09, 0x20, 0x2d, 0x2e, 0x2c), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
});

function mutate(data: Buffer, ms: Mutation[]): Buffer {
  let b = data;
  for (const m of ms) {
    const at = m.at % (b.length + 1);
    const extra = Buffer.from(m.bytes);
    switch (m.kind) {
      case 0: b = Buffer.concat([b.subarray(0, at), extra, b.subarray(at)]); break; // insert
      case 1: b = Buffer.concat([b.subarray(0, at), b.subarray(at + m.len)]); break; // delete
      case 2: { b = Buffer.from(b); for (let i = 0; i < extra.length && at + i < b.length; i++) b[at + i] = extra[i]; break; } // overwrite
      case 3: b = Buffer.concat([b.subarray(0, at), b.subarray(at, at + m.len), b.subarray(at)]); break; // duplicate
      case 4: b = b.subarray(0, at); break; // truncate
      default: b = Buffer.concat([b.subarray(at), b.subarray(0, at)]); // rotate lines out of order
    }
  }
  return b;
}

describe("fuzz: mutated files", () => {
  it("tolerant mode never throws, never hangs, and keeps warnings capped", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 64 }), async (ms, chunk) => {
        const bytes = mutate(valid, ms);
        const t0 = performance.now();
        const l = buildLedgerSync(bytes);
        expect(performance.now() - t0).toBeLessThan(1000);
        expect(l.warnings.length).toBeLessThanOrEqual(1000);
        expect(["utf-8", "cp437", "latin1"]).toContain(l.encoding);
        for (const v of l.vouchers) for (const r of v.rows) expect(Number.isSafeInteger(r.amount)).toBe(true);
        // Chunking never changes the result.
        const a = await aggregateSie((function* () { for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk); })());
        expect(a.transactionCount).toBe(l.transactionCount);
        expect(a.turnover).toEqual(l.turnover);
        expect(a.warnings.map((w) => w.code)).toEqual(l.warnings.map((w) => w.code));
        // The importer's iterator, fed in small chunks, sees exactly the ledger's vouchers and warnings.
        const items: SieItem[] = [];
        for await (const item of readSie((function* () { for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk); })())) items.push(item);
        expect(items.flatMap((i) => (i.kind === "voucher" ? [i.voucher] : []))).toEqual(l.vouchers);
        const end = items.at(-1);
        expect(end?.kind === "end" && end.result.warnings).toEqual(l.warnings);
      }),
      { numRuns: 400 },
    );
  });

  it("strict mode throws only SieError", () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (ms) => {
        try { buildLedgerSync(mutate(valid, ms), { strict: true }); } catch (e) { expect(e).toBeInstanceOf(SieError); }
      }),
      { numRuns: 300 },
    );
  });

  it("random bytes never crash", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), (data) => {
      const l = buildLedgerSync(data);
      expect(l.warnings.length).toBeGreaterThan(0);
    }), { numRuns: 300 });
  });

  it("memory stays bounded on 256 MB without a single line break", async () => {
    const chunk = Buffer.alloc(1 << 20, 0x41);
    const before = process.memoryUsage();
    let peak = 0;
    const r = await aggregateSie((function* () {
      for (let i = 0; i < 256; i++) {
        const m = process.memoryUsage();
        peak = Math.max(peak, m.heapUsed + m.arrayBuffers - before.heapUsed - before.arrayBuffers);
        yield chunk;
      }
    })());
    expect(peak).toBeLessThan(64 << 20);
    expect(r.warnings.map((w) => w.code)).toEqual(["line_too_long", "not_sie"]);
  });
});
