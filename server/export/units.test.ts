import { describe, expect, test } from "vitest";
import en from "@/messages/en.json";
import sv from "@/messages/sv.json";
import { DomainError } from "@/server/errors";
import { FortnoxApiError, FortnoxAuthError } from "@/server/fortnox/errors";
import { apiErrorFromResponse, networkErrorFrom } from "@/server/fortnox/error-answers";
import { FortnoxVoucherInputError, voucherBody } from "@/server/fortnox/resources";
import { ConnectionNeedsReconnectError } from "@/server/fortnox/token-manager";
import { buildLedgerSync } from "@/server/sie";
import { classifyWriteError } from "./run";
import { checkVoucherShape, EXPORT_ERROR_KEYS } from "./prechecks";
import { vouchersToSie4I } from "./sie";
import { makeVouchers } from "./testing/source";
import { commentsWithMarker, MARKER_LENGTH, markersIn, newMarker, toVoucherInput } from "./voucher";

describe("what a failed write says about Fortnox", () => {
  const post = (status: number, body = "{}") => apiErrorFromResponse({ status, bodyText: body, method: "POST" });
  const net = (code: string, timedOut = false) => networkErrorFrom(Object.assign(new Error("x"), { code }), "POST", timedOut);

  test.each([
    ["reset after the request left", net("ECONNRESET"), "ambiguous"],
    ["timeout", networkErrorFrom(Object.assign(new Error("aborted"), { name: "AbortError" }), "POST", true), "ambiguous"],
    ["5xx", post(503), "ambiguous"],
    ["2xx with a body we could not read", new FortnoxApiError({ status: 201, kind: "unexpected_response", message: "x" }), "ambiguous"],
    ["anything unknown (a bug, the database)", new Error("boom"), "ambiguous"],
    ["connection refused", net("ECONNREFUSED"), "notApplied"],
    ["DNS", net("ENOTFOUND"), "notApplied"],
    ["429", post(429), "notApplied"],
    ["401", post(401), "fatal"],
    ["missing scope", post(403, JSON.stringify({ ErrorInformation: { code: 2000663, message: "x" } })), "fatal"],
    ["dead refresh token", new FortnoxAuthError({ status: 400, kind: "refresh_token_dead", message: "x" }), "fatal"],
    ["connection marked for reconnect", new ConnectionNeedsReconnectError("c", "marked"), "fatal"],
    ["not connected", new DomainError("PRECONDITION_FAILED", "fortnoxNotConnected"), "fatal"],
    ["period locked", post(400, JSON.stringify({ ErrorInformation: { code: 2000401, message: "låst perioden t.o.m. 2025-08-31" } })), "rejected"],
    ["inactive account", post(400, JSON.stringify({ ErrorInformation: { message: "Konto 5220 är inte aktivt" } })), "rejected"],
    ["invalid voucher caught before sending", new FortnoxVoucherInputError("unbalanced", "x"), "rejected"],
  ])("%s → %s", (_name, err, verdict) => {
    expect(classifyWriteError(err)).toBe(verdict);
  });
});

describe("markers", () => {
  test("fixed length, unambiguous alphabet, found again in any comment", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2_000; i++) {
      const m = newMarker();
      expect(m).toMatch(/^SB:[0-9A-HJKMNP-TV-Z]{10}$/);
      expect(m).toHaveLength(MARKER_LENGTH);
      seen.add(m);
    }
    expect(seen.size).toBe(2_000);
    const m = newMarker();
    expect(markersIn(commentsWithMarker(m, "  Periodisering  "))).toEqual([m]);
    expect(commentsWithMarker(m, "")).toBe(m);
    expect(markersIn("SB:ABC and SB:ILOU000000 are not markers")).toEqual([]);
  });

  test("the voucher as Fortnox receives it: series, marker first in Comments, kronor rows", () => {
    const v = makeVouchers(1)[0];
    const body = voucherBody(toVoucherInput(v, "B", "SB:0123456789"));
    expect(body.Voucher).toMatchObject({
      VoucherSeries: "B", TransactionDate: v.date, Description: v.text, Comments: `SB:0123456789 ${v.comments}`,
      VoucherRows: [
        { Account: 6110, Debit: 101.37, Credit: 0, TransactionInformation: "Kontorsmaterial 1" },
        { Account: 2990, Debit: 0, Credit: 101.37 },
      ],
    });
  });
});

describe("shape checks", () => {
  const base = makeVouchers(1)[0];
  test("a good voucher has no problem", () => expect(checkVoucherShape(base)).toEqual([]));
  test("dates that do not exist, bad accounts and amounts, an exact 1000-character Comments", () => {
    expect(checkVoucherShape({ ...base, date: "2025-02-30" }).map((p) => p.key)).toEqual(["exportDateInvalid"]);
    expect(checkVoucherShape({ ...base, rows: [{ account: "61100", amountOre: 5 }, { account: "2990", amountOre: 1.5 }] }).map((p) => [p.key, p.params])).toEqual([
      ["exportAccountInvalid", { account: "61100", row: 1 }],
      ["exportAmountInvalid", { row: 2 }],
      ["exportUnbalanced", { difference: 0.05 }],
    ]);
    const fits = 1000 - MARKER_LENGTH - 1;
    expect(checkVoucherShape({ ...base, comments: "c".repeat(fits) })).toEqual([]);
    expect(checkVoucherShape({ ...base, comments: "c".repeat(fits + 1) }).map((p) => p.key)).toEqual(["exportCommentsTooLong"]);
  });
});

describe("SIE 4I download", () => {
  test("the selected vouchers read back by our SIE reader: rows, amounts, objects, Swedish letters, a valid checksum", () => {
    const [a, b] = makeVouchers(2);
    const withObjects = { ...b, text: "Avskrivning år 2025 – inventarier", rows: [
      { account: "7832", amountOre: 123_456, text: "Årets avskrivning", costCenter: "100", project: "P101" },
      { account: "1229", amountOre: -123_456 },
    ] };
    const bytes = vouchersToSie4I([a, withObjects], {
      company: { name: "Åkesson & Ödman AB", orgNr: "556012-3453" }, series: "B", generated: { date: "2026-01-15", sign: "Anna" },
      accountNames: new Map([["7832", "Avskrivningar på inventarier och verktyg"]]),
    });
    // CP437: "Å" is 0x8F, never UTF-8's two bytes.
    expect(bytes.includes(Buffer.from([0x8f]))).toBe(true);
    expect(bytes.includes(Buffer.from("Å", "utf8"))).toBe(false);
    const l = buildLedgerSync(bytes, { strict: true });
    expect(l.ksumma).toBe("valid");
    expect(l.encoding).toBe("cp437");
    expect(l.company).toMatchObject({ name: "Åkesson & Ödman AB", orgNr: "556012-3453", sieType: "4" });
    expect(l.accounts.map((x) => [x.number, x.name])).toEqual([["7832", "Avskrivningar på inventarier och verktyg"]]);
    expect(l.vouchers.map((v) => [v.series, v.number, v.date, v.text])).toEqual([
      ["B", "", a.date, a.text],
      ["B", "", b.date, "Avskrivning år 2025 – inventarier".replace("–", "?")],
    ]);
    expect(l.vouchers[1].rows.map((r) => [r.account, r.amount, r.text, r.objects])).toEqual([
      ["7832", 123_456, "Årets avskrivning", [{ dim: "1", object: "100" }, { dim: "6", object: "P101" }]],
      ["1229", -123_456, "", []],
    ]);
    expect(l.unbalancedVouchers).toBe(0);
  });
});

describe("messages", () => {
  test("every export error key has a Swedish and an English text", () => {
    const errors = [sv.errors, en.errors] as Record<string, unknown>[];
    for (const m of errors) expect(EXPORT_ERROR_KEYS.filter((k) => typeof m[k] !== "string" || !(m[k] as string).trim())).toEqual([]);
  });
});
