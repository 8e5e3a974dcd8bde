import type { Context } from "hono";
import { parseIsoDate } from "../data/dates";
import type { EndpointKey } from "../options";
import type { AccessGrant, SandboxState, Tenant } from "../state";

export type ApiEnv = { Variables: { tenant: Tenant; grant: AccessGrant; endpoint: EndpointKey; strictQuery: boolean } };
export type ApiContext = Context<ApiEnv>;

/** Thrown inside handlers to answer with a Fortnox ErrorInformation. */
export class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 500,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

// Fortnox answers errors in mixed casing; the sandbox keeps each endpoint's casing fixed so clients that only
// handle one shape fail in tests, not in production.
const ERROR_STYLE: Record<EndpointKey, "lower" | "upper" | "upperString"> = {
  me: "lower", companyinformation: "lower", financialyears: "lower", accounts: "lower", vouchers: "lower",
  voucherseries: "lower", sie: "lower", invoices: "upper", invoicepayments: "upper", lockedperiod: "upper",
  supplierinvoices: "upperString", supplierinvoicepayments: "upperString", inbox: "upperString",
  archive: "upperString", voucherfileconnections: "upperString",
};

export function errorBody(endpoint: EndpointKey | null, code: number, message: string) {
  const style = endpoint ? ERROR_STYLE[endpoint] : "lower";
  if (style === "lower") return { ErrorInformation: { error: 1, message, code } };
  if (style === "upper") return { ErrorInformation: { Error: 1, Message: message, Code: code } };
  return { ErrorInformation: { Error: 1, Message: message, Code: String(code) } };
}

export function errorResponse(endpoint: EndpointKey | null, status: number, code: number, message: string): Response {
  return Response.json(errorBody(endpoint, code, message), { status });
}

export const badParam = (name: string) => new ApiError(400, 2000588, `Ogiltig parameter: ${name}`);

/** Kronor as a JSON number, from integer öre. */
export const kr = (ore: number) => ore / 100;
/** Kronor as Fortnox's string-typed numbers on supplier invoices ("1234.50"). */
export const krString = (ore: number) => (ore / 100).toFixed(2);

export function dateParam(c: ApiContext, name: string): number | null {
  const v = c.req.query(name);
  if (v === undefined || v === "") return null;
  const d = parseIsoDate(v);
  if (d === null) throw badParam(name);
  return d;
}

const strictEncoding = (c: ApiContext) => c.get("strictQuery") !== false;

/** `lastmodified=YYYY-MM-DD HH:mm` (or a bare date) as epoch ms. */
export function lastModifiedParam(c: ApiContext): number | null {
  const v = c.req.query("lastmodified");
  if (!v) return null;
  // The space must come as %20: a form-encoded "+" is not read as one.
  if (strictEncoding(c) && /[?&]lastmodified=[^&]*\+/.test(new URL(c.req.url).search)) throw badParam("lastmodified");
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(v.trim());
  const day = m ? parseIsoDate(m[1]) : null;
  if (!m || day === null) throw badParam("lastmodified");
  return day * 86_400_000 + (Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0)) * 60_000;
}

/** Financial year index from `financialyear` (Id) or `financialyeardate`, default the year of today or the latest. */
export function yearParam(c: ApiContext, state: SandboxState, required = false): number {
  const co = c.get("tenant").company;
  const id = c.req.query("financialyear");
  if (id !== undefined && id !== "") {
    const i = co.years.findIndex((y) => String(y.id) === id);
    if (i < 0) throw new ApiError(400, 2000588, `Räkenskapsåret ${id} finns inte.`);
    return i;
  }
  const date = dateParam(c, "financialyeardate");
  if (date !== null) {
    const i = co.yearIndexOfDay(date);
    if (i < 0) throw new ApiError(400, 2000588, "Det finns inget räkenskapsår för datumet.");
    return i;
  }
  if (required) throw badParam("financialyear");
  const i = co.yearIndexOfDay(state.clock.today());
  return i >= 0 ? i : co.years.length - 1;
}

export interface Page {
  start: number;
  end: number;
  meta: { "@TotalResources": number; "@TotalPages": number; "@CurrentPage": number };
}

/** limit (default 100, silently capped at 500), page (1-based) and offset, as Fortnox pages lists. */
export function paging(c: ApiContext, total: number): Page {
  const limitRaw = c.req.query("limit");
  const pageRaw = c.req.query("page");
  const offsetRaw = c.req.query("offset");
  let limit = 100;
  if (limitRaw !== undefined) {
    if (!/^\d+$/.test(limitRaw) || Number(limitRaw) < 1) throw badParam("limit");
    limit = Math.min(500, Number(limitRaw));
  }
  let page = 1;
  if (pageRaw !== undefined) {
    if (!/^\d+$/.test(pageRaw) || Number(pageRaw) < 1) throw badParam("page");
    page = Number(pageRaw);
  }
  let start = (page - 1) * limit;
  if (offsetRaw !== undefined) {
    if (!/^\d+$/.test(offsetRaw)) throw badParam("offset");
    start += Number(offsetRaw);
  }
  return {
    start,
    end: Math.min(total, start + limit),
    meta: { "@TotalResources": total, "@TotalPages": Math.ceil(total / limit), "@CurrentPage": page },
  };
}

export function listResponse<T>(c: ApiContext, key: string, indexes: ArrayLike<number>, render: (i: number) => T) {
  const p = paging(c, indexes.length);
  const items: T[] = [];
  for (let k = p.start; k < p.end; k++) items.push(render(indexes[k]));
  return c.json({ MetaInformation: p.meta, [key]: items });
}

export function sortOrder(c: ApiContext): 1 | -1 {
  const o = c.req.query("sortorder");
  if (o === undefined || o === "ascending") return 1;
  if (o === "descending") return -1;
  throw badParam("sortorder");
}

export function apiUrl(c: ApiContext, basePath: string, path: string): string {
  return `${new URL(c.req.url).origin}${basePath}/3/${path}`;
}
