import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFortnoxClient } from "./http";
import { SlidingWindowLimiter } from "./limiter";
import { createFortnoxApi, FortnoxVoucherInputError, voucherBody } from "./resources";
import { parseMultipart, readBody, sendJson, startServer, type TestServer } from "./testing/http-server";

let server: TestServer;
const posted: Array<{ url: string; body: unknown }> = [];

beforeAll(async () => {
  server = await startServer(async (req, res) => {
    const u = new URL(req.url!, "http://x");
    const p = u.pathname.replace(/^\/3/, "");
    if (req.method === "POST" && p === "/vouchers") {
      const body = JSON.parse((await readBody(req)).toString());
      posted.push({ url: req.url!, body });
      return sendJson(res, 201, { Voucher: { ...body.Voucher, VoucherNumber: 42, Year: 3 } });
    }
    if (req.method === "POST" && p === "/inbox") {
      const parts = parseMultipart(await readBody(req), req.headers["content-type"]!);
      return sendJson(res, 201, { File: { Id: "f-1", ArchiveFileId: "a-1", Name: parts[0].filename, Path: "inbox_v", Size: parts[0].data.length } });
    }
    if (req.method === "POST" && p === "/voucherfileconnections") {
      const body = JSON.parse((await readBody(req)).toString());
      posted.push({ url: req.url!, body });
      return sendJson(res, 201, { VoucherFileConnection: { ...body.VoucherFileConnection, VoucherYear: 3 } });
    }
    switch (p) {
      case "/vouchers":
        return sendJson(res, 200, {
          MetaInformation: { "@TotalPages": 1 },
          Vouchers: [
            { VoucherSeries: "A", VoucherNumber: 1, Year: 3, TransactionDate: "2024-01-01", Comments: "" },
            { VoucherSeries: "K", VoucherNumber: 1, Year: 3, TransactionDate: "2024-01-02", Comments: "sb-export:abc" },
          ],
        });
      case "/vouchers/%C3%85/7":
        return sendJson(res, 200, { Voucher: { VoucherSeries: "Å", VoucherNumber: 7, Year: 3, TransactionDate: "2024-02-01", VoucherRows: [] } });
      case "/voucherseries":
        return sendJson(res, 200, { VoucherSeriesCollection: [{ Code: "A", Manual: false }, { Code: "K", Manual: true }] });
      case "/settings/lockedperiod":
        return sendJson(res, 200, { LockedPeriod: { EndDate: "2024-06-30" } });
      case "/sie/4":
        res.writeHead(200);
        return res.end(Buffer.from(`#FLAGGA 0\r\n#FY ${u.searchParams.get("financialyear")}\r\n`, "latin1"));
      case "/accounts/1510":
        return sendJson(res, 200, { Account: { Number: 1510, BalanceBroughtForward: 10, BalanceCarriedForward: "20,5" } });
      default:
        return sendJson(res, 404, { ErrorInformation: { error: 1, message: "Not found", code: 0 } });
    }
  });
});
afterAll(() => server.close());

function api() {
  return createFortnoxApi(
    createFortnoxClient({
      apiUrl: `${server.url}/3`,
      getAccessToken: async () => "t",
      limiterKey: "r",
      limiter: new SlidingWindowLimiter(),
      backoffBaseMs: 1,
    }),
  );
}

describe("resources", () => {
  it("createVoucher sends kronor with debit/credit split and returns the numbered voucher", async () => {
    const v = await api().createVoucher(3, {
      series: "K",
      transactionDate: "2024-12-31",
      description: "Periodisering",
      comments: "sb-export:abc",
      rows: [
        { account: 1790, amountOre: 1234567 },
        { account: 5010, amountOre: -1234567, transactionInformation: "hyra jan" },
      ],
    });
    expect(v).toMatchObject({ series: "K", number: 42, year: 3 });
    expect(v.rows.map((r) => r.amountOre)).toEqual([1234567, -1234567]);
    expect(posted[0].url).toBe("/3/vouchers?financialyear=3");
    expect(posted[0].body).toEqual({
      Voucher: {
        VoucherSeries: "K",
        TransactionDate: "2024-12-31",
        Description: "Periodisering",
        Comments: "sb-export:abc",
        VoucherRows: [
          { Account: 1790, Debit: 12345.67, Credit: 0 },
          { Account: 5010, Debit: 0, Credit: 12345.67, TransactionInformation: "hyra jan" },
        ],
      },
    });
  });

  it("refuses unbalanced or malformed vouchers before sending", () => {
    const base = { series: "K", transactionDate: "2024-12-31", description: "x" };
    const problem = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(FortnoxVoucherInputError);
        return (e as FortnoxVoucherInputError).problem;
      }
    };
    expect(problem(() => voucherBody({ ...base, rows: [{ account: 1930, amountOre: 1 }, { account: 2440, amountOre: -2 }] }))).toBe("unbalanced");
    expect(problem(() => voucherBody({ ...base, rows: [{ account: 1930, amountOre: 0 }, { account: 2440, amountOre: 0 }] }))).toBe("bad_amount");
    expect(problem(() => voucherBody({ ...base, rows: [{ account: 1930, amountOre: 1 }] }))).toBe("too_few_rows");
    expect(problem(() => voucherBody({ ...base, transactionDate: "31/12", rows: [] }))).toBe("bad_date");
  });

  it("lists, filters by series and finds by marker", async () => {
    const a = api();
    expect((await a.listVouchers(3, { series: "K" })).map((v) => v.series)).toEqual(["K"]);
    expect((await a.findVouchersByMarker(3, "sb-export:abc")).map((v) => v.number)).toEqual([1]);
    expect((await a.listVoucherSeries(3)).map((s) => [s.code, s.manual])).toEqual([
      ["A", false],
      ["K", true],
    ]);
    expect(await a.getLockedPeriod()).toEqual({ endDate: "2024-06-30" });
    expect((await a.getVoucher("Å", 7, 3)).series).toBe("Å");
    expect((await a.getAccount(1510, 3)).balanceCarriedForwardOre).toBe(2050);
  });

  it("streams SIE and uploads + connects a file", async () => {
    const a = api();
    const chunks: Uint8Array[] = [];
    for await (const c of await a.streamSie(4, 3)) chunks.push(c);
    expect(Buffer.concat(chunks).toString("latin1")).toBe("#FLAGGA 0\r\n#FY 3\r\n");
    const file = await a.uploadToInbox({ name: "kvitto.pdf", bytes: new Uint8Array([1, 2, 3]), contentType: "application/pdf" });
    expect(file).toEqual({ id: "f-1", archiveFileId: "a-1", name: "kvitto.pdf", path: "inbox_v", size: 3 });
    const conn = await a.connectFileToVoucher(file.id, "K", 42, 3);
    expect(conn).toMatchObject({ fileId: "f-1", voucherNumber: 42, voucherSeries: "K", voucherYear: 3 });
    expect(posted.at(-1)!.body).toEqual({ VoucherFileConnection: { FileId: "f-1", VoucherNumber: 42, VoucherSeries: "K" } });
  });
});
