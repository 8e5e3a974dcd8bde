// A read-only probe of one Fortnox tenant, run by an operator before going live (`npm run fortnox:check`). It turns
// what Fortnox's documentation leaves open into facts about this tenant: which scopes and licences answer, whether
// lists carry the keys we rely on, what the locked period and the SIE download look like, which rate-limit headers
// come back. GET only: it never writes to Fortnox. Detection is generic (a key present or absent, an error code), so
// it reports whatever Fortnox does.

import { z } from "zod";
import { FortnoxApiError, FortnoxError, FortnoxNetworkError } from "./errors";
import type { FortnoxClient } from "./http";

/** One answer as the recording fetch saw it (no bodies, no tokens). */
export interface SeenResponse {
  method: string;
  url: string;
  status: number;
  headers: Record<string, string>;
}

/** Wraps fetch to note each Fortnox answer's status and the headers the report needs. */
export function recordingFetch(base: typeof fetch = fetch) {
  const seen: SeenResponse[] = [];
  let bearer: string | null = null;
  const wrapped: typeof fetch = async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const auth = new Headers(init?.headers).get("authorization");
    if (auth?.startsWith("Bearer ")) bearer = auth.slice(7);
    const res = await base(input, init);
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => {
      if (/^(x-ratelimit-|ratelimit|retry-after$|content-type$)/i.test(k)) headers[k.toLowerCase()] = v;
    });
    seen.push({ method: (init?.method ?? "GET").toUpperCase(), url, status: res.status, headers });
    return res;
  };
  return { fetch: wrapped, seen, lastBearer: () => bearer };
}

export type ProbeResult =
  | { result: "ok"; status: number }
  | { result: "missing_scope" | "no_licence"; status: number; code: number }
  | { result: "other"; status: number | null; code: number | null; detail: string };

export interface EndpointProbe {
  id: string;
  path: string;
  /** The scope Fortnox documents for it (docs/fortnox-api.md §1, "Scopes"; UNCONFIRMED ones marked). */
  scope: string;
  usedBy: string;
  outcome: ProbeResult;
}

/** "yes": every item has the key; "no": the key is absent; "unknown": the list was empty or did not answer. */
export type KeyPresence = { answer: "yes" | "no" | "unknown"; why: string };

export interface ProbeReport {
  apiUrl: string;
  company: { name: string | null; orgNr: string | null; databaseNumber: string | null };
  year: { id: number; from: string; to: string } | null;
  scopes: { stored: string[] | null; token: string[] | null };
  endpoints: EndpointProbe[];
  voucherListComments: KeyPresence;
  paymentListAmountCurrency: { invoicepayments: KeyPresence; supplierinvoicepayments: KeyPresence };
  lockedPeriod: { answered: boolean; wrapper: boolean; hasDate: boolean; endDate: string | null; raw: string | null };
  sieContentType: string | null;
  meWrapperKey: string | null;
  rateLimitHeaders: Record<string, string[]>;
  retryAfterSeen: boolean;
  requests: { get: number; other: number; http429: number };
}

const ENDPOINTS: { id: string; path: string; scope: string; usedBy: string; year?: boolean; list?: boolean; stream?: boolean }[] = [
  { id: "companyinformation", path: "/companyinformation", scope: "companyinformation", usedBy: "import: company, org nr" },
  { id: "me", path: "/me", scope: "profile", usedBy: "nothing yet" },
  { id: "financialyears", path: "/financialyears", scope: "bookkeeping", usedBy: "import, export" },
  { id: "accounts", path: "/accounts", scope: "bookkeeping", usedBy: "import (REST), export checks", year: true, list: true },
  { id: "vouchers", path: "/vouchers", scope: "bookkeeping", usedBy: "export lookup", year: true, list: true },
  { id: "voucherseries", path: "/voucherseries", scope: "bookkeeping", usedBy: "export", year: true, list: true },
  { id: "sie", path: "/sie/1", scope: "bookkeeping (UNCONFIRMED)", usedBy: "import (SIE 4; the probe asks for the small SIE 1)", year: true, stream: true },
  { id: "lockedperiod", path: "/settings/lockedperiod", scope: "settings (UNCONFIRMED)", usedBy: "export checks" },
  { id: "invoices", path: "/invoices", scope: "invoice", usedBy: "import: customer ledger", list: true },
  { id: "invoicepayments", path: "/invoicepayments", scope: "payment", usedBy: "import: customer ledger", list: true },
  { id: "supplierinvoices", path: "/supplierinvoices", scope: "supplierinvoice", usedBy: "import: supplier ledger", list: true },
  { id: "supplierinvoicepayments", path: "/supplierinvoicepayments", scope: "payment (UNCONFIRMED)", usedBy: "import: supplier ledger", list: true },
  { id: "voucherfileconnections", path: "/voucherfileconnections", scope: "connectfile", usedBy: "export: attachments", list: true },
  { id: "inbox", path: "/inbox", scope: "inbox", usedBy: "export: attachments" },
];

const Raw = z.unknown();

function keyOf(obj: unknown, key: string): unknown {
  if (!obj || typeof obj !== "object" || Array.isArray(obj)) return undefined;
  const k = Object.keys(obj).find((x) => x.toLowerCase() === key.toLowerCase());
  return k === undefined ? undefined : (obj as Record<string, unknown>)[k];
}

function classify(err: unknown): ProbeResult {
  if (err instanceof FortnoxApiError) {
    if (err.code === 2000663) return { result: "missing_scope", status: err.status, code: err.code };
    if (err.code === 2001101) return { result: "no_licence", status: err.status, code: err.code };
    return { result: "other", status: err.status, code: err.code ?? null, detail: err.message.slice(0, 160) };
  }
  if (err instanceof FortnoxNetworkError) return { result: "other", status: null, code: null, detail: `network: ${err.kind}` };
  if (err instanceof FortnoxError) return { result: "other", status: null, code: null, detail: err.message.slice(0, 160) };
  throw err;
}

/** Does every item of the list carry `key`? Judged on the items Fortnox sent (limit=1: the first one). */
function presence(list: unknown, key: string, what: string): KeyPresence {
  if (!Array.isArray(list)) return { answer: "unknown", why: `${what}: no list in the answer` };
  if (list.length === 0) return { answer: "unknown", why: `${what}: the list is empty, nothing to look at` };
  const has = list.every((item) => keyOf(item, key) !== undefined);
  return { answer: has ? "yes" : "no", why: `${what}: ${has ? "the key is present" : "the key is absent"} in the list item` };
}

/** JWT claims read without verification (Fortnox publishes no key): a hint of the scopes, never trusted. */
export function tokenScopes(token: string | null): string[] | null {
  const part = token?.split(".")[1];
  if (!part) return null;
  try {
    const claims = JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
    const scope = claims.scope ?? claims.scp;
    if (Array.isArray(scope)) return scope.map(String);
    return typeof scope === "string" ? scope.split(/\s+/).filter(Boolean) : null;
  } catch {
    return null;
  }
}

export async function probeFortnox(
  client: FortnoxClient,
  rec: ReturnType<typeof recordingFetch>,
  opts: { apiUrl: string; storedScopes?: string[] | null; today?: string },
): Promise<ProbeReport> {
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  const answers = new Map<string, unknown>();
  const endpoints: EndpointProbe[] = [];
  let year: ProbeReport["year"] = null;
  let sieContentType: string | null = null;

  for (const e of ENDPOINTS) {
    const query: Record<string, string | number> = {};
    if (e.list) query.limit = 1;
    if (e.id === "financialyears") query.limit = 500;
    if (e.year && year) query.financialyear = year.id;
    let outcome: ProbeResult;
    try {
      if (e.stream) {
        const stream = (await client.getStream(e.path, query))[Symbol.asyncIterator]();
        await stream.next(); // the first chunk proves the download starts; return() then aborts the rest
        await stream.return?.(undefined);
        sieContentType = [...rec.seen].reverse().find((s) => s.url.includes(e.path))?.headers["content-type"] ?? null;
      } else answers.set(e.id, await client.getJson(e.path, query, Raw));
      outcome = { result: "ok", status: 200 };
    } catch (err) {
      outcome = classify(err);
    }
    endpoints.push({ id: e.id, path: e.path, scope: e.scope, usedBy: e.usedBy, outcome });
    if (e.id === "financialyears") year = pickYear(answers.get(e.id), today);
  }

  const vouchers = keyOf(answers.get("vouchers"), "Vouchers");
  let voucherListComments = presence(vouchers, "Comments", "GET /3/vouchers");
  if (voucherListComments.answer === "unknown" && Array.isArray(vouchers)) {
    // A year just begun has no vouchers yet: look at any year's list.
    try {
      voucherListComments = presence(keyOf(await client.getJson("/vouchers", { limit: 1 }, Raw), "Vouchers"), "Comments", "GET /3/vouchers (all years)");
    } catch {}
  }

  const locked = answers.get("lockedperiod");
  const wrapper = keyOf(locked, "LockedPeriod");
  const endDate = keyOf(wrapper, "EndDate");
  const me = answers.get("me");
  const company = keyOf(answers.get("companyinformation"), "CompanyInformation");
  const str = (v: unknown) => (v === undefined || v === null || v === "" ? null : String(v));

  const rateLimitHeaders: Record<string, string[]> = {};
  for (const s of rec.seen) {
    for (const [k, v] of Object.entries(s.headers)) {
      if (k === "content-type") continue;
      const list = (rateLimitHeaders[k] ??= []);
      if (!list.includes(v) && list.length < 5) list.push(v);
    }
  }
  const api = rec.seen.filter((s) => s.url.startsWith(opts.apiUrl));
  return {
    apiUrl: opts.apiUrl,
    company: { name: str(keyOf(company, "CompanyName")), orgNr: str(keyOf(company, "OrganizationNumber")), databaseNumber: str(keyOf(company, "DatabaseNumber")) },
    year,
    scopes: { stored: opts.storedScopes ?? null, token: tokenScopes(rec.lastBearer()) },
    endpoints,
    voucherListComments,
    paymentListAmountCurrency: {
      invoicepayments: presence(keyOf(answers.get("invoicepayments"), "InvoicePayments"), "AmountCurrency", "GET /3/invoicepayments"),
      supplierinvoicepayments: presence(keyOf(answers.get("supplierinvoicepayments"), "SupplierInvoicePayments"), "AmountCurrency", "GET /3/supplierinvoicepayments"),
    },
    lockedPeriod: {
      answered: answers.has("lockedperiod"),
      wrapper: wrapper !== undefined,
      hasDate: typeof endDate === "string" && /^\d{4}-\d{2}-\d{2}$/.test(endDate),
      endDate: str(endDate),
      raw: locked === undefined ? null : JSON.stringify(locked).slice(0, 200),
    },
    sieContentType,
    meWrapperKey: me && typeof me === "object" ? Object.keys(me).join(", ") || "(empty)" : null,
    rateLimitHeaders,
    retryAfterSeen: "retry-after" in rateLimitHeaders,
    requests: {
      get: api.filter((s) => s.method === "GET").length,
      other: api.filter((s) => s.method !== "GET").length,
      http429: api.filter((s) => s.status === 429).length,
    },
  };
}

/** The year containing today, else the latest one. */
function pickYear(answer: unknown, today: string): ProbeReport["year"] {
  const list = keyOf(answer, "FinancialYears");
  if (!Array.isArray(list) || !list.length) return null;
  const years = list
    .map((y) => ({ id: Number(keyOf(y, "Id")), from: String(keyOf(y, "FromDate") ?? ""), to: String(keyOf(y, "ToDate") ?? "") }))
    .filter((y) => Number.isFinite(y.id))
    .sort((a, b) => (a.from < b.from ? 1 : -1));
  return years.find((y) => y.from <= today && today <= y.to) ?? years[0] ?? null;
}
