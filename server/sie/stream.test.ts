import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { buildLedgerSync, parseSieStream, readSie, type SieItem } from "./stream";
import { HEADER, sie } from "./testing";
import { SieError } from "./warnings";

// Vouchers interleaved with records: an importer must see them in file order.
const lines = [
  ...HEADER, '#KONTO 1930 "Bank"',
  "#VER A 1 20230105", "{", "#TRANS 1930 {} 1", "#TRANS 3001 {} -1", "}",
  '#KONTO 3001 "Försäljning"',
  "#VER A 2 20230106", "{", '#BTRANS 1930 {} 5 "" "" 0 "Eva"', "}",
  "#UB 0 1930 2",
];
const label = (item: SieItem) =>
  item.kind === "record" ? item.record.kind : item.kind === "voucher" ? `voucher ${item.voucher.number}` : "end";
const inOrder = ["flag", "program", "format", "generated", "sieType", "info", "info", "year", "account", "voucher 1", "account", "voucher 2", "balance"];

/** Chunks of `size` bytes as a Node stream that records how many it handed out and whether it was destroyed. */
function tracked(bytes: Buffer, size: number) {
  const state = { pulled: 0 };
  const stream = Readable.from((function* () {
    for (let i = 0; i < bytes.length; i += size) { state.pulled++; yield bytes.subarray(i, i + size); }
  })(), { objectMode: false, highWaterMark: 1 });
  const closed = new Promise<true>((resolve) => stream.on("close", () => resolve(true)));
  return { stream, state, closed };
}

describe("readSie: records and vouchers as an async iterator", () => {
  it("yields every record and voucher in file order, then one end item with the aggregates", async () => {
    const items: SieItem[] = [];
    for await (const item of readSie(sie(lines))) items.push(item);
    expect(items.map(label)).toEqual([...inOrder, "end"]);
    const v2 = items.find((i) => i.kind === "voucher" && i.voucher.number === "2");
    expect(v2).toMatchObject({ voucher: { rows: [], corrections: [{ kind: "removed", amount: 500, sign: "Eva" }] } });
    const end = items.at(-1)!;
    if (end.kind !== "end") throw new Error("end item missing");
    const whole = buildLedgerSync(sie(lines));
    expect(end.result.turnover).toEqual({ "1930": 100, "3001": -100 });
    expect(end.result.voucherCount).toBe(2);
    expect(end.result.findings).toEqual(whole.findings);
    expect(end.result.findings.map((f) => f.code)).toEqual(["balance_mismatch"]); // UB 0.02 ≠ 0 + 0.01
  });

  it("reads no further than the consumer has asked, and stops reading on break", async () => {
    const many = [...HEADER];
    for (let i = 1; i <= 300; i++) many.push(`#VER A ${i} 20230105`, "{", `#TRANS 1930 {} ${i}`, `#TRANS 3001 {} -${i}`, "}");
    const bytes = sie(many);
    const { stream, state, closed } = tracked(bytes, 256);
    const total = Math.ceil(bytes.length / 256);
    let vouchers = 0;
    for await (const item of readSie(stream)) {
      if (item.kind !== "voucher") continue;
      // A voucher is about 70 bytes: by voucher 20 only a few 256-byte chunks can have been needed.
      if (++vouchers === 20) {
        expect(state.pulled).toBeLessThan(12);
        break;
      }
    }
    expect(await closed).toBe(true); // the stream was destroyed, not left open
    expect(state.pulled).toBeLessThan(total / 2);
  });

  it("throws SieError in strict mode at the first problem; what came before was delivered in order", async () => {
    const seen: string[] = [];
    const bytes = sie([...lines.slice(0, 14), "#IB 0 1930 x"]);
    const run = async () => { for await (const item of readSie(tracked(bytes, 32).stream, { strict: true })) seen.push(label(item)); };
    const err = await run().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SieError);
    expect(err).toMatchObject({ code: "bad_amount", line: 15 });
    // Items of the chunk that held the error are not delivered; everything before is, in order.
    expect(seen.length).toBeGreaterThan(5);
    expect(seen).toEqual(inOrder.slice(0, seen.length));
  });
});

describe("parseSieStream: the same with callbacks", () => {
  it("delivers records and vouchers in file order and awaits each onVoucher before going on", async () => {
    const order: string[] = [];
    let busy = false;
    const result = await parseSieStream(sie(lines), {
      onRecord: (r) => { expect(busy).toBe(false); order.push(r.kind); },
      onVoucher: async (v) => {
        busy = true;
        await new Promise((r) => setTimeout(r, 2));
        busy = false;
        order.push(`voucher ${v.number}`);
      },
    });
    expect(order).toEqual(inOrder);
    expect(result.voucherCount).toBe(2);
  });

  it("stops reading a Node stream when onVoucher throws", async () => {
    const many = [...HEADER];
    for (let i = 1; i <= 300; i++) many.push(`#VER A ${i} 20230105`, "{", `#TRANS 1930 {} ${i}`, `#TRANS 3001 {} -${i}`, "}");
    const { stream, state, closed } = tracked(sie(many), 256);
    await expect(parseSieStream(stream, { onVoucher: (v) => { if (v.number === "5") throw new Error("db down"); } })).rejects.toThrow("db down");
    expect(await closed).toBe(true);
    expect(state.pulled).toBeLessThan(10);
  });
});
