import { startSandboxServer, type SandboxServer } from "../server";
import type { SandboxOptions } from "../options";
import { FORTNOX_REGISTERED_SCOPES } from "../../fortnox/scopes";

// Test helpers that go through real HTTP, exactly as an OAuth client would.

export const CLIENT_ID = "sandbox-client";
export const CLIENT_SECRET = "sandbox-secret";
export const REDIRECT = "http://localhost:3000/api/auth/callback/fortnox";
/** Every scope the default app registration holds (what the app's features need). */
export const FULL_SCOPE = FORTNOX_REGISTERED_SCOPES.join(" ");
export const basic = (id = CLIENT_ID, secret = CLIENT_SECRET) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;

export async function start(options: SandboxOptions & { port?: number } = {}): Promise<SandboxServer> {
  return startSandboxServer({ rateLimit: false, ...options });
}

export interface AuthorizeInput {
  tenantId?: number;
  scope?: string;
  redirectUri?: string;
  state?: string;
  decision?: "approve" | "deny";
  accountType?: string;
}

/** Submits the consent form the way a browser would and returns the redirect Location. */
export async function consent(url: string, input: AuthorizeInput = {}): Promise<Response> {
  const form = new URLSearchParams({
    client_id: CLIENT_ID,
    redirect_uri: input.redirectUri ?? REDIRECT,
    scope: input.scope ?? FULL_SCOPE,
    state: input.state ?? "st-1",
    response_type: "code",
    access_type: "offline",
    account_type: input.accountType ?? "",
    tenant: String(input.tenantId ?? 1234567),
    decision: input.decision ?? "approve",
  });
  return fetch(`${url}/oauth-v1/auth`, { method: "POST", body: form, redirect: "manual" });
}

export async function getCode(url: string, input: AuthorizeInput = {}): Promise<string> {
  const res = await consent(url, input);
  const loc = new URL(res.headers.get("location")!);
  return loc.searchParams.get("code")!;
}

export async function tokenRequest(url: string, params: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/oauth-v1/token`, {
    method: "POST",
    headers: { authorization: basic(), ...headers },
    body: new URLSearchParams(params),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export interface Tokens {
  access_token: string;
  refresh_token: string;
  scope: string;
  expires_in: number;
  token_type: string;
}

export async function connect(url: string, input: AuthorizeInput = {}): Promise<Tokens> {
  const code = await getCode(url, input);
  const { status, body } = await tokenRequest(url, { grant_type: "authorization_code", code, redirect_uri: input.redirectUri ?? REDIRECT });
  if (status !== 200) throw new Error(`token exchange failed: ${status} ${JSON.stringify(body)}`);
  return body as unknown as Tokens;
}

export function apiClient(url: string, token: string) {
  // The SIE download is no JSON (Fortnox refuses a JSON Accept there, error 1000030).
  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${url}/3/${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, accept: path.startsWith("sie/") ? "*/*" : "application/json", ...init.headers },
    });
  return {
    call,
    async get<T = Record<string, any>>(path: string): Promise<{ status: number; body: T; headers: Headers }> {
      const res = await call(path);
      return { status: res.status, body: (await res.json()) as T, headers: res.headers };
    },
    async post<T = Record<string, any>>(path: string, json: unknown): Promise<{ status: number; body: T }> {
      const res = await call(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(json) });
      return { status: res.status, body: (await res.json()) as T };
    },
    /** Every page of a list, following MetaInformation. */
    async all<T = Record<string, any>>(path: string, key: string, limit = 500): Promise<T[]> {
      const out: T[] = [];
      for (let page = 1; ; page++) {
        const sep = path.includes("?") ? "&" : "?";
        const { status, body } = await this.get(`${path}${sep}limit=${limit}&page=${page}`);
        if (status !== 200) throw new Error(`${path}: ${status} ${JSON.stringify(body)}`);
        out.push(...(body[key] as T[]));
        if (page >= body.MetaInformation["@TotalPages"]) return out;
      }
    },
  };
}

/**
 * Every payment of a list with its AmountCurrency, as a client must read it: the list has none (Fortnox's
 * …PaymentListItem), so each foreign-currency payment is read on its own. For truth in tests, not for speed.
 */
export async function allPaymentsWithCurrency(api: ReturnType<typeof apiClient>, kind: "invoicepayments" | "supplierinvoicepayments") {
  const key = kind === "invoicepayments" ? "InvoicePayments" : "SupplierInvoicePayments";
  const single = kind === "invoicepayments" ? "InvoicePayment" : "SupplierInvoicePayment";
  const out: Record<string, any>[] = [];
  for (const p of await api.all(kind, key)) {
    if (p.Currency === "SEK") out.push(p);
    else out.push({ ...p, AmountCurrency: (await api.get(`${kind}/${p.Number}`)).body[single].AmountCurrency });
  }
  return out;
}

export async function control(url: string, path: string, body?: unknown) {
  const res = await fetch(`${url}/control/${path}`, body === undefined ? {} : { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

/** Kronor (number or string) to öre, exactly. */
export function ore(v: number | string): number {
  const s = typeof v === "number" ? v.toFixed(2) : v;
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(s.trim());
  if (!m) throw new Error(`not an amount: ${v}`);
  const n = Number(m[2]) * 100 + Number((m[3] ?? "").padEnd(2, "0"));
  return m[1] ? -n : n;
}

/** The claims of a JWT-shaped token, decoded without verification (as a client may, for hints only). */
export function jwtClaims(token: string): Record<string, unknown> {
  const parts = token.split(".");
  if (parts.length !== 3) throw new Error("not a JWT");
  return JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
}

export function authorizeUrl(url: string, params: Record<string, string> = {}): string {
  const q = new URLSearchParams({
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT,
    scope: FULL_SCOPE,
    state: "st-1",
    response_type: "code",
    access_type: "offline",
    ...params,
  });
  return `${url}/oauth-v1/auth?${q}`;
}

const unescapeHtml = (s: string) =>
  s.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n))).replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

export interface ConsentForm {
  action: string;
  method: string;
  /** Hidden inputs, as a browser would send them. */
  hidden: Record<string, string>;
  /** Values of the `tenant` radio buttons, and the one checked by default. */
  tenants: string[];
  checkedTenant: string | null;
  /** Values of the submit buttons named `decision`. */
  decisions: string[];
  html: string;
}

/** Reads the consent page the way a browser without JavaScript sees it. */
export function parseConsentForm(html: string, pageUrl: string): ConsentForm {
  const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) throw new Error("no <form> on the page");
  const attr = (tag: string, name: string) => {
    const m = new RegExp(`\\b${name}="([^"]*)"`, "i").exec(tag);
    return m ? unescapeHtml(m[1]) : null;
  };
  const out: ConsentForm = { action: new URL(attr(form[1], "action") ?? "", pageUrl).toString(), method: (attr(form[1], "method") ?? "get").toLowerCase(), hidden: {}, tenants: [], checkedTenant: null, decisions: [], html };
  for (const m of form[2].matchAll(/<(input|button)\b[^>]*>/gi)) {
    const tag = m[0];
    const type = (attr(tag, "type") ?? "").toLowerCase();
    const name = attr(tag, "name");
    const value = attr(tag, "value") ?? "";
    if (type === "hidden" && name) out.hidden[name] = value;
    if (type === "radio" && name === "tenant") {
      out.tenants.push(value);
      if (/\bchecked\b/i.test(tag)) out.checkedTenant = value;
    }
    if (m[1].toLowerCase() === "button" && name === "decision") out.decisions.push(value);
  }
  const select = /<select\b[^>]*name="tenant"[^>]*>([\s\S]*?)<\/select>/i.exec(form[2]);
  if (select) for (const o of select[1].matchAll(/<option\b[^>]*value="([^"]*)"/gi)) out.tenants.push(unescapeHtml(o[1]));
  return out;
}

/** Opens the consent page and submits it as a browser would: hidden fields, the chosen tenant and button. */
export async function browserConsent(url: string, input: { params?: Record<string, string>; tenant?: string; decision: string }) {
  const pageUrl = authorizeUrl(url, input.params);
  const page = await fetch(pageUrl);
  if (page.status !== 200) throw new Error(`consent page: ${page.status}`);
  const form = parseConsentForm(await page.text(), pageUrl);
  const body = new URLSearchParams({ ...form.hidden, tenant: input.tenant ?? form.checkedTenant ?? "", decision: input.decision });
  const res = await fetch(form.action, { method: form.method.toUpperCase(), body, redirect: "manual" });
  return { form, res, location: res.headers.get("location") ? new URL(res.headers.get("location")!) : null };
}
