import { startSandboxServer, type SandboxServer } from "../server";
import type { SandboxOptions } from "../options";

// Test helpers that go through real HTTP, exactly as an OAuth client would.

export const CLIENT_ID = "sandbox-client";
export const CLIENT_SECRET = "sandbox-secret";
export const REDIRECT = "http://localhost:3000/api/auth/callback/fortnox";
export const FULL_SCOPE = "bookkeeping companyinformation profile settings invoice payment supplierinvoice inbox archive connectfile";
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
  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${url}/3/${path}`, { ...init, headers: { authorization: `Bearer ${token}`, accept: "application/json", ...init.headers } });
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
