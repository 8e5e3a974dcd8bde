import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { optionsFromEnv } from "./options";
import type { SandboxServer } from "./server";
import { apiClient, connect, control, start } from "./testing/helpers";

// The sandbox where Fortnox's answers to an export are unsettled or strict: voucher lists
// with and without Comments, the series' next number, voucher file connections of unknown ids and by voucher,
// the empty and the automatic period lock, the character whitelist, and cost centre / project settings.
// Current year 2025: Id 2 for the small company, Id 8 for the medium one (cost centres and projects).

const SMALL = 1234567;
const MEDIUM = 2345678;

let s: SandboxServer;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  s = await start({ currentYear: 2025 });
});
afterAll(() => s.close());
beforeEach(async () => {
  await control(s.url, "reset", {});
  api = apiClient(s.url, (await connect(s.url)).access_token);
});

const voucher = (over: Record<string, unknown> = {}, rows?: unknown[]) => ({
  Voucher: {
    VoucherSeries: "B", TransactionDate: "2025-12-31", Description: "Upplupen kostnad", Comments: "SB:0123456789",
    VoucherRows: rows ?? [{ Account: 6110, Debit: 100 }, { Account: 2990, Credit: 100 }],
    ...over,
  },
});

describe("voucher lists and Comments", () => {
  it("lists carry no Comments by default; the single voucher always does", async () => {
    const made = (await api.post("vouchers?financialyear=2", voucher())).body.Voucher;
    const list = await api.all<Record<string, unknown>>("vouchers?financialyear=2&fromdate=2025-12-31&todate=2025-12-31", "Vouchers");
    expect(list.length).toBeGreaterThan(0);
    expect(list.every((v) => !("Comments" in v))).toBe(true);
    expect((await api.get(`vouchers/B/${made.VoucherNumber}?financialyear=2`)).body.Voucher.Comments).toBe("SB:0123456789");
  });

  it("with voucherListComments (option, env or control) they carry them", async () => {
    const made = (await api.post("vouchers?financialyear=2", voucher())).body.Voucher;
    await control(s.url, "options", { voucherListComments: true });
    const list = await api.all<Record<string, unknown>>("vouchers?financialyear=2&fromdate=2025-12-31&todate=2025-12-31", "Vouchers");
    expect(list.every((v) => "Comments" in v)).toBe(true);
    expect(list.find((v) => v.VoucherNumber === made.VoucherNumber)!.Comments).toBe("SB:0123456789");
    expect(optionsFromEnv({ SANDBOX_VOUCHER_LIST_COMMENTS: "on" }).voucherListComments).toBe(true);
    expect(optionsFromEnv({}).voucherListComments).toBeUndefined();
    expect(() => optionsFromEnv({ SANDBOX_VOUCHER_LIST_COMMENTS: "yes" })).toThrow();
    expect((await control(s.url, "options", { voucherListComments: "yes" })).status).toBe(400);
    // A reset forgets what control changed.
    await control(s.url, "reset", {});
    expect((await control(s.url, "state")).body.options.voucherListComments).toBe(false);
  });
});

describe("the series' next number", () => {
  it("only the single series carries NextVoucherNumber, and it stays right under concurrent posts", async () => {
    const listed = (await api.get("voucherseries?financialyear=2")).body.VoucherSeriesCollection;
    expect(listed.every((x: Record<string, unknown>) => !("NextVoucherNumber" in x))).toBe(true);
    const next = (await api.get("voucherseries/B?financialyear=2")).body.VoucherSeries.NextVoucherNumber;
    expect(Number.isInteger(next)).toBe(true);
    const other = apiClient(s.url, (await connect(s.url)).access_token);
    const made = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? api : other).post("vouchers?financialyear=2", voucher())));
    const numbers = made.map((r) => r.body.Voucher.VoucherNumber).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 12 }, (_, i) => next + i));
    expect((await api.get("voucherseries/B?financialyear=2")).body.VoucherSeries.NextVoucherNumber).toBe(next + 12);
    // Refused posts take no number.
    await api.post("vouchers?financialyear=2", voucher({ Description: "Ogiltigt <tecken>" }));
    expect((await api.get("voucherseries/B?financialyear=2")).body.VoucherSeries.NextVoucherNumber).toBe(next + 12);
  });
});

describe("voucher file connections", () => {
  async function connected() {
    const v = (await api.post("vouchers?financialyear=2", voucher())).body.Voucher;
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array([1, 2, 3])], { type: "application/pdf" }), "kvitto.pdf");
    const file = (await (await api.call("inbox?path=inbox_v", { method: "POST", body: form })).json()).File;
    const conn = await api.post("voucherfileconnections?financialyear=2", { VoucherFileConnection: { FileId: file.Id, VoucherNumber: v.VoucherNumber, VoucherSeries: "B" } });
    expect(conn.status).toBe(201);
    return { v, file };
  }

  it("an unknown id is a 400 with ErrorInformation by default, a 404 with the option", async () => {
    const unknown = await api.get("voucherfileconnections/0b7c1f2e-0000-4000-8000-000000000000");
    expect(unknown.status).toBe(400);
    expect(unknown.body.ErrorInformation).toMatchObject({ Error: 1, Code: "2000434" });
    await control(s.url, "options", { fileConnectionNotFoundStatus: 404 });
    expect((await api.get("voucherfileconnections/0b7c1f2e-0000-4000-8000-000000000000")).status).toBe(404);
    expect(optionsFromEnv({ SANDBOX_FILE_CONNECTION_NOT_FOUND: "404" }).fileConnectionNotFoundStatus).toBe(404);
  });

  it("searches by voucher series, number and year", async () => {
    const a = await connected();
    await connected();
    const found = await api.all(`voucherfileconnections?voucherseries=B&vouchernumber=${a.v.VoucherNumber}&voucheryear=2`, "VoucherFileConnections");
    expect(found.map((c) => [c.FileId, c.VoucherSeries, Number(c.VoucherNumber)])).toEqual([[a.file.Id, "B", a.v.VoucherNumber]]);
    expect(await api.all("voucherfileconnections?voucherseries=B&vouchernumber=99999&voucheryear=2", "VoucherFileConnections")).toEqual([]);
    expect((await api.all("voucherfileconnections", "VoucherFileConnections")).length).toBe(2);
  });
});

describe("the automatic period lock", () => {
  it("refuses a POST into it with 2002141, and /settings/lockedperiod reports it only with the option", async () => {
    await control(s.url, `tenants/${SMALL}`, { autoLockedThrough: "2025-11-30" });
    const res = await api.post("vouchers?financialyear=2", voucher({ TransactionDate: "2025-11-30" }));
    expect(res.status).toBe(400);
    expect(res.body.ErrorInformation).toEqual({ error: 1, code: 2002141, message: "Bokföringsdatumet ligger i en automatlåst period" });
    expect((await api.post("vouchers?financialyear=2", voucher({ TransactionDate: "2025-12-01" }))).status).toBe(201);
    expect((await api.get("settings/lockedperiod")).body).toEqual({ LockedPeriod: { EndDate: "2025-08-31" } });
    await control(s.url, "options", { lockedPeriodIncludesAutoLock: true });
    expect((await api.get("settings/lockedperiod")).body).toEqual({ LockedPeriod: { EndDate: "2025-11-30" } });
    expect(optionsFromEnv({ SANDBOX_LOCKED_PERIOD_AUTO: "on" }).lockedPeriodIncludesAutoLock).toBe(true);
    expect((await control(s.url, `tenants/${SMALL}`, { autoLockedThrough: "30/11" })).status).toBe(400);
  });
});

describe("the character whitelist", () => {
  it.each([`"`, "<", ">", "[", "]", "{", "}", "|", "~", "\t", "'", "”", "…"])("refuses %j in every text field with 2000359", async (ch) => {
    const before = (await api.get("voucherseries/B?financialyear=2")).body.VoucherSeries.NextVoucherNumber;
    for (const [field, body] of [
      ["Description", voucher({ Description: `Text ${ch} här` })],
      ["Comments", voucher({ Comments: `SB:0123456789 ${ch}` })],
      ["TransactionInformation", voucher({}, [{ Account: 6110, Debit: 1, TransactionInformation: `rad ${ch}` }, { Account: 2990, Credit: 1 }])],
    ] as const) {
      const res = await api.post("vouchers?financialyear=2", body);
      expect(res.status, field).toBe(400);
      expect(res.body.ErrorInformation).toEqual({ error: 1, code: 2000359, message: `Värdet innehåller ej tillåtna tecken. (${field})` });
    }
    expect((await api.get("voucherseries/B?financialyear=2")).body.VoucherSeries.NextVoucherNumber).toBe(before);
  });

  it("accepts what the published list holds", async () => {
    const text = "Åäö ÉÜ ß ’ \\ – : . ` ´ , ; ^ ¤ # % § £ $ € ¢ ¥ © ™ ° & / ( ) = + - * _ ! ? ² ³ ® ½ @ \u00a0 a\u030a";
    const res = await api.post("vouchers?financialyear=2", voucher({ Description: text, Comments: "SB:0123456789 rad 1\r\nrad 2" }));
    expect(res.status).toBe(201);
  });
});

describe("cost centre and project settings", () => {
  let medium: ReturnType<typeof apiClient>;
  beforeEach(async () => {
    medium = apiClient(s.url, (await connect(s.url, { tenantId: MEDIUM })).access_token);
  });

  it("the account list carries each account's settings", async () => {
    const accounts = await medium.all("accounts?financialyear=8", "Accounts");
    const of = (n: number) => accounts.find((a) => a.Number === n)!;
    expect([of(5010).CostCenterSettings, of(5010).ProjectSettings]).toEqual(["MANDATORY", "ALLOWED"]);
    expect([of(4010).CostCenterSettings, of(4010).ProjectSettings]).toEqual(["ALLOWED", "MANDATORY"]);
    expect([of(1930).CostCenterSettings, of(1930).ProjectSettings]).toEqual(["NOTALLOWED", "NOTALLOWED"]);
    expect(of(6110).CostCenterSettings).toBe("ALLOWED");
  });

  it.each([
    ["no cost centre on a MANDATORY account", [{ Account: 5010, Debit: 5 }, { Account: 2990, Credit: 5 }], /Kostnadsställe måste anges för konto 5010/],
    ["no project on a MANDATORY account", [{ Account: 4010, Debit: 5, CostCenter: "100" }, { Account: 2990, Credit: 5 }], /Projekt måste anges för konto 4010/],
    ["a cost centre on a NOTALLOWED account", [{ Account: 6110, Debit: 5 }, { Account: 1930, Credit: 5, CostCenter: "100" }], /Kostnadsställe får inte anges för konto 1930/],
  ])("refuses %s", async (_name, rows, message) => {
    const res = await medium.post("vouchers?financialyear=8", voucher({}, rows));
    expect(res.status).toBe(400);
    expect(res.body.ErrorInformation.message).toMatch(message);
  });

  it("accepts the rows once they carry what the accounts need", async () => {
    const rows = [{ Account: 5010, Debit: 5, CostCenter: "100" }, { Account: 4010, Debit: 5, Project: "P101" }, { Account: 1930, Credit: 10 }];
    expect((await medium.post("vouchers?financialyear=8", voucher({}, rows))).status).toBe(201);
  });
});

describe("control", () => {
  it("lists the vouchers posted through the API with their Comments", async () => {
    const made = (await api.post("vouchers?financialyear=2", voucher())).body.Voucher;
    const { body } = await control(s.url, `tenants/${SMALL}/vouchers`);
    expect(body.vouchers).toEqual([{ financialYearId: 2, series: "B", number: made.VoucherNumber, transactionDate: "2025-12-31", comments: "SB:0123456789" }]);
  });
});
