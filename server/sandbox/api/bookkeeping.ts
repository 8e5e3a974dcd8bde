// Long (~310 lines): one route table, a handler per Fortnox bookkeeping endpoint; split by resource when another lands here.
import { Hono } from "hono";
import { isBalanceAccount } from "../data/chart";
import type { Company } from "../data/company";
import { isoDate, parseIsoDate } from "../data/dates";
import { voucherComments, voucherDescription, voucherReference } from "../data/describe";
import { Kind, ROW_REMOVED, type YearLedger } from "../data/ledger";
import type { SandboxState } from "../state";
import { type ApiContext, type ApiEnv, ApiError, apiUrl, dateParam, kr, listResponse, yearParam } from "./http";
import { checkDimensions, checkText } from "./rules";

// Bookkeeping resources: me, companyinformation, financialyears, accounts, vouchers, voucherseries,
// settings/lockedperiod.

export interface Guard {
  /** Checks scope and licence of the endpoint for the current token and tenant (throws ApiError). */
  (c: ApiContext, endpoint: import("../options").EndpointKey): void;
}

export function bookkeepingRoutes(state: SandboxState, basePath: string, guard: Guard, commit: CommitFn): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const url = (c: ApiContext, path: string) => apiUrl(c, basePath, path);

  app.get("/me", (c) => {
    guard(c, "me");
    const u = c.get("tenant").company.profile.user;
    // The OpenAPI file wraps it in MeInformation, the .NET SDK reads Me: either can be chosen.
    return c.json({ [state.options.meEnvelope ?? "MeInformation"]: { Id: u.id, Name: u.name, Email: u.email, SysAdmin: true, Locale: "sv_SE" } });
  });

  app.get("/companyinformation", (c) => {
    guard(c, "companyinformation");
    const p = c.get("tenant").company.profile;
    return c.json({
      CompanyInformation: {
        Address: p.address, City: p.city, CountryCode: "SE", DatabaseNumber: p.tenantId, CompanyName: p.name,
        OrganizationNumber: p.orgNr, VisitAddress: p.address, VisitCity: p.city, VisitCountryCode: "SE", VisitZipCode: p.zipCode,
        ZipCode: p.zipCode,
      },
    });
  });

  const yearJson = (c: ApiContext, y: YearLedger) => ({
    "@url": url(c, `financialyears/${y.id}`), Id: y.id, FromDate: isoDate(y.fromDay), ToDate: isoDate(y.toDay),
    AccountChartType: "Bas 2024", AccountingMethod: "ACCRUAL",
  });

  app.get("/financialyears", (c) => {
    guard(c, "financialyears");
    const co = c.get("tenant").company;
    const date = dateParam(c, "date");
    const idx = co.years.map((_, i) => i).filter((i) => date === null || (date >= co.years[i].fromDay && date <= co.years[i].toDay));
    return listResponse(c, "FinancialYears", idx, (i) => yearJson(c, co.years[i]));
  });

  app.get("/financialyears/:id", (c) => {
    guard(c, "financialyears");
    const y = c.get("tenant").company.years.find((x) => String(x.id) === c.req.param("id"));
    if (!y) throw new ApiError(404, 2000516, "Räkenskapsåret hittades inte.");
    return c.json({ FinancialYear: yearJson(c, y) });
  });

  const accountJson = (c: ApiContext, co: Company, yi: number, number: number, single: boolean) => {
    const a = co.chart.get(number)!;
    const dims = c.get("tenant").accountSettings.get(number);
    const json: Record<string, unknown> = {
      "@url": url(c, `accounts/${a.number}?financialyear=${co.years[yi].id}`), Active: a.active,
      BalanceBroughtForward: kr(co.ib(yi, a.number)), CostCenter: null, CostCenterSettings: dims?.costCenter ?? "ALLOWED",
      Description: a.name, Number: a.number, Project: "", ProjectSettings: dims?.project ?? "ALLOWED", SRU: a.sru,
      TransactionInformation: null, TransactionInformationSettings: "ALLOWED", VATCode: a.vatCode || null,
      Year: co.years[yi].id,
    };
    // Fortnox gives the closing balance only on the single account.
    if (single) json.BalanceCarriedForward = kr(isBalanceAccount(number) ? co.ub(yi, number) : co.years[yi].movement[number]);
    return json;
  };

  app.get("/accounts", (c) => {
    guard(c, "accounts");
    const co = c.get("tenant").company;
    const yi = yearParam(c, state);
    const numbers = [...co.chart.keys()].sort((a, b) => a - b);
    return listResponse(c, "Accounts", numbers, (n) => accountJson(c, co, yi, n, false));
  });

  app.get("/accounts/:number", (c) => {
    guard(c, "accounts");
    const co = c.get("tenant").company;
    const yi = yearParam(c, state);
    const n = Number(c.req.param("number"));
    if (!co.chart.has(n)) throw new ApiError(404, 2000423, "Kan inte hitta kontot.");
    return c.json({ Account: accountJson(c, co, yi, n, true) });
  });

  /** `list`: an item of GET /vouchers, which carries Comments only when the option says so. */
  const voucherHead = (c: ApiContext, co: Company, y: YearLedger, v: number, list = false) => {
    const ref = voucherReference(y, v);
    const series = co.series[y.v.c.series[v]].code;
    return {
      "@url": url(c, `vouchers/${series}/${y.v.c.number[v]}?financialyear=${y.id}`),
      ApprovalState: 0,
      ...(list && !state.runtime.voucherListComments ? {} : { Comments: voucherComments(y, v) }),
      Description: voucherDescription(co, y, v),
      ReferenceNumber: ref.number,
      ReferenceType: ref.type,
      TransactionDate: isoDate(y.v.c.date[v]),
      VoucherNumber: y.v.c.number[v],
      VoucherSeries: series,
      Year: y.id,
    };
  };

  const voucherJson = (c: ApiContext, co: Company, y: YearLedger, v: number) => {
    const rows = [];
    const rc = y.r.c;
    const end = y.v.c.rowStart[v] + y.v.c.rowCount[v];
    for (let r = y.v.c.rowStart[v]; r < end; r++) {
      const amount = rc.amount[r];
      rows.push({
        Account: rc.account[r],
        CostCenter: rc.costCenter[r] ? co.costCenters[rc.costCenter[r] - 1][0] : "",
        Credit: amount < 0 ? kr(-amount) : 0,
        Debit: amount > 0 ? kr(amount) : 0,
        Description: co.chart.get(rc.account[r])?.name ?? "",
        Project: rc.project[r] ? co.projects[rc.project[r] - 1][0] : "",
        Quantity: 0,
        Removed: (rc.flags[r] & ROW_REMOVED) !== 0,
        TransactionInformation: y.texts[rc.text[r]],
      });
    }
    return { ...voucherHead(c, co, y, v), CostCenter: "", Project: "", VoucherRows: rows };
  };

  const listVouchers = (c: ApiContext, seriesFilter: number | null) => {
    guard(c, "vouchers");
    const co = c.get("tenant").company;
    const y = co.years[yearParam(c, state)];
    const from = dateParam(c, "fromdate");
    const to = dateParam(c, "todate");
    const idx: number[] = [];
    const dates = y.v.c.date;
    for (let s = 0; s < co.series.length; s++) {
      if (seriesFilter !== null && s !== seriesFilter) continue;
      for (const v of y.bySeries[s]) {
        if ((from === null || dates[v] >= from) && (to === null || dates[v] <= to)) idx.push(v);
      }
    }
    return listResponse(c, "Vouchers", idx, (v) => voucherHead(c, co, y, v, true));
  };

  app.get("/vouchers", (c) => listVouchers(c, null));
  app.get("/vouchers/sublist/:series", (c) => {
    const s = c.get("tenant").company.seriesIndex(c.req.param("series"));
    if (s < 0) {
      guard(c, "vouchers");
      throw new ApiError(404, 2000544, `Verifikationsserien finns inte (${c.req.param("series")}).`);
    }
    return listVouchers(c, s);
  });

  app.get("/vouchers/:series/:number", (c) => {
    guard(c, "vouchers");
    const co = c.get("tenant").company;
    const y = co.years[yearParam(c, state)];
    const s = co.seriesIndex(c.req.param("series"));
    const v = s < 0 ? -1 : y.findVoucher(s, Number(c.req.param("number")));
    if (v < 0) throw new ApiError(state.runtime.voucherNotFoundStatus ?? 400, 2000434, "Kan inte hitta verifikationen.");
    return c.json({ Voucher: voucherJson(c, co, y, v) });
  });

  app.post("/vouchers", async (c) => {
    guard(c, "vouchers");
    const tenant = c.get("tenant");
    const co = tenant.company;
    const body = await jsonBody(c);
    const input = parseVoucher(co, body);
    const yiParam = c.req.query("financialyear");
    const yi = co.yearIndexOfDay(input.date);
    if (yiParam !== undefined && yiParam !== "") {
      const byId = co.years.findIndex((y) => String(y.id) === yiParam);
      if (byId < 0) throw new ApiError(400, 2000588, `Räkenskapsåret ${yiParam} finns inte.`);
      if (byId !== yi) throw new ApiError(400, 2000588, "Verifikationens datum ligger utanför räkenskapsåret.");
    }
    if (yi < 0) throw new ApiError(400, 2000588, "Det finns inget räkenskapsår för verifikationens datum.");
    if (tenant.lockedThrough !== null && input.date <= tenant.lockedThrough) {
      throw new ApiError(400, 2000401, `Verifikationens datum ligger i en låst period. Företaget har låst perioden t.o.m. ${isoDate(tenant.lockedThrough)}.`);
    }
    // The automatic lock names no date in its message.
    if (tenant.autoLockedThrough !== null && input.date <= tenant.autoLockedThrough) {
      throw new ApiError(400, 2002141, "Bokföringsdatumet ligger i en automatlåst period");
    }
    input.rows.forEach((r) => checkDimensions(tenant.accountSettings.get(r.account), r.account, r));
    const s = co.seriesIndex(input.series);
    if (s < 0) throw new ApiError(400, 2000544, `Verifikationsserien finns inte (${input.series}).`);
    if (!co.series[s].manual) throw new ApiError(400, 2000755, `Verifikationsserien är inte manuell (${input.series})`);
    return commit(c, () => {
      const y = co.years[yi];
      const rowStart = y.r.length;
      for (const r of input.rows) y.addRow(r.account, r.amount, r.costCenter, r.project, 0, y.intern(r.text));
      const v = y.commit(s, input.date, Kind.Posted, 0, rowStart, y.monthIndexOf(input.date));
      y.posted.set(v, { description: input.description, comments: input.comments });
      state.countVoucher(tenant.id);
      return c.json({ Voucher: voucherJson(c, co, y, v) }, 201);
    });
  });

  app.get("/voucherseries", (c) => {
    guard(c, "voucherseries");
    const co = c.get("tenant").company;
    const y = co.years[yearParam(c, state)];
    return listResponse(c, "VoucherSeriesCollection", co.series.map((_, i) => i), (i) => seriesJson(c, co, y, i, false));
  });

  app.get("/voucherseries/:code", (c) => {
    guard(c, "voucherseries");
    const co = c.get("tenant").company;
    const y = co.years[yearParam(c, state)];
    const i = co.seriesIndex(c.req.param("code"));
    if (i < 0) throw new ApiError(404, 2000544, `Verifikationsserien finns inte (${c.req.param("code")}).`);
    return c.json({ VoucherSeries: seriesJson(c, co, y, i, true) });
  });

  const seriesJson = (c: ApiContext, co: Company, y: YearLedger, i: number, single: boolean) => {
    const s = co.series[i];
    const json: Record<string, unknown> = {
      "@url": url(c, `voucherseries/${s.code}`), Approver: null, Code: s.code, Description: s.description, Manual: s.manual, Year: y.id,
    };
    if (single) json.NextVoucherNumber = y.nextNumber[i];
    return json;
  };

  app.get("/settings/lockedperiod", (c) => {
    guard(c, "lockedperiod");
    const t = c.get("tenant");
    const auto = state.runtime.lockedPeriodIncludesAutoLock ? t.autoLockedThrough : null;
    const end = t.lockedThrough === null ? auto : auto === null ? t.lockedThrough : Math.max(t.lockedThrough, auto);
    if (end !== null) return c.json({ LockedPeriod: { EndDate: isoDate(end) } });
    return c.json({ LockedPeriod: state.runtime.lockedPeriodNone === "empty" ? { EndDate: "" } : {} });
  });

  return app;
}

export type CommitFn = (c: ApiContext, write: () => Response) => Response;

export async function jsonBody(c: ApiContext): Promise<Record<string, unknown>> {
  const text = await c.req.text();
  if (!text.trim()) throw new ApiError(400, 2001392, "Ingen data skickades i anropet.");
  try {
    const v = JSON.parse(text);
    if (!v || typeof v !== "object" || Array.isArray(v)) throw new Error();
    return v;
  } catch {
    throw new ApiError(400, 2002115, "Felaktig JSON-syntax i anropet.");
  }
}

interface VoucherInput {
  series: string;
  date: number;
  description: string;
  comments: string | null;
  rows: { account: number; amount: number; costCenter: number; project: number; text: string }[];
}

/** Amount in kronor (number or numeric string, ≤ 2 decimals) to öre. */
function toOre(v: unknown, field: string): number {
  if (v === undefined || v === null || v === "") return 0;
  const s = typeof v === "number" ? String(v) : typeof v === "string" ? v.trim() : "";
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) throw new ApiError(400, 2000588, `Ogiltigt belopp i ${field}: ${String(v)}`);
  return Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
}

function parseVoucher(co: Company, body: Record<string, unknown>): VoucherInput {
  const v = body.Voucher as Record<string, unknown> | undefined;
  if (!v || typeof v !== "object") throw new ApiError(400, 2001392, "Ingen verifikation (Voucher) i anropet.");
  const description = typeof v.Description === "string" ? v.Description.trim() : "";
  if (!description) throw new ApiError(400, 2000580, "Verifikationen måste ha en beskrivning (Description).");
  checkText("Description", description);
  if (description.length > 200) throw new ApiError(400, 2000588, "Description får vara högst 200 tecken.");
  const comments = v.Comments == null ? null : String(v.Comments);
  if (comments !== null && comments.length > 1000) throw new ApiError(400, 2000588, "Comments får vara högst 1000 tecken.");
  checkText("Comments", comments);
  const series = typeof v.VoucherSeries === "string" ? v.VoucherSeries : "";
  if (!series) throw new ApiError(400, 2000544, "Verifikationsserie (VoucherSeries) saknas.");
  const date = typeof v.TransactionDate === "string" ? parseIsoDate(v.TransactionDate) : null;
  if (date === null) throw new ApiError(400, 2000588, "Ogiltigt datum (TransactionDate).");
  const rawRows = Array.isArray(v.VoucherRows) ? (v.VoucherRows as Record<string, unknown>[]) : [];
  if (rawRows.length < 2) throw new ApiError(400, 2000920, "En verifikation måste ha minst två rader.");
  let sum = 0;
  const rows = rawRows.map((r, i) => {
    const account = Number(r.Account);
    const a = co.chart.get(account);
    if (!a) throw new ApiError(400, 2001304, `Kontot ${String(r.Account)} finns inte i kontoplanen.`);
    if (!a.active) throw new ApiError(400, 2000550, `Konto ${account} är inte aktivt`);
    const debit = toOre(r.Debit, `rad ${i + 1} Debit`);
    const credit = toOre(r.Credit, `rad ${i + 1} Credit`);
    if (debit && credit) throw new ApiError(400, 2000588, `Rad ${i + 1} har både debet och kredit.`);
    const text = r.TransactionInformation == null ? "" : String(r.TransactionInformation);
    if (text.length > 100) throw new ApiError(400, 2000588, "TransactionInformation får vara högst 100 tecken.");
    checkText("TransactionInformation", text);
    const cc = r.CostCenter ? co.costCenters.findIndex(([code]) => code === String(r.CostCenter)) + 1 : 0;
    if (r.CostCenter && !cc) throw new ApiError(400, 2000588, `Kostnadsstället ${String(r.CostCenter)} finns inte.`);
    const pj = r.Project && r.Project !== "0" ? co.projects.findIndex(([code]) => code === String(r.Project)) + 1 : 0;
    if (r.Project && r.Project !== "0" && !pj) throw new ApiError(400, 2000588, `Projektet ${String(r.Project)} finns inte.`);
    sum += debit - credit;
    return { account, amount: debit - credit, costCenter: cc, project: pj, text };
  });
  if (sum !== 0) throw new ApiError(400, 2000930, `Verifikationen är inte i balans (differens ${(sum / 100).toFixed(2)}).`);
  return { series, date, description, comments, rows };
}
