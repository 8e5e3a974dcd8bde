// Test bed for connections: a sandbox over real HTTP on port 0, a runtime pointed at it (recording every token the
// OAuth endpoint hands out), and an OAuth round trip driven exactly as a browser would, minus the browser.

import { randomBytes } from "node:crypto";
import { encode } from "next-auth/jwt";
import type { Db } from "@/db/client";
import { createCaller } from "@/server/api/root";
import { handleFortnoxCallback } from "@/server/auth/fortnox-callback";
import { runNextAuth } from "@/server/auth/next-auth-http";
import { buildAuthOptions } from "@/server/auth/options";
import { loadEnv, type Env } from "@/server/env";
import { createTokenCipher } from "@/server/fortnox/crypto";
import { startSandboxServer, type SandboxServer } from "@/server/sandbox/server";
import type { SandboxOptions } from "@/server/sandbox/options";
import type { FortnoxConfig } from "./config";
import { createConnectionRuntime, type ConnectionRuntime } from "./runtime";

export const APP_URL = "http://localhost:3000";
export const DEMO_TENANT = 1_234_567; // Demo Konsult AB, 556677-8899
export const OTHER_TENANT = 2_345_678; // Nordisk Bygg & Projekt AB, another org nr; service account approved
export const DEMO_ORG_NR = "5566778899";

export interface Testbed {
  sandbox: SandboxServer;
  runtime: ConnectionRuntime;
  env: Env;
  /** Every access and refresh token the sandbox's token endpoint answered with. */
  issued: Set<string>;
  /** While true, every call to Fortnox fails as if it could not be reached. */
  offline: boolean;
  close(): Promise<void>;
}

export async function startTestbed(opts: { sandbox?: SandboxOptions; now?: () => number } = {}): Promise<Testbed> {
  // NextAuth reads its own URL from the environment.
  process.env.NEXTAUTH_URL = APP_URL;
  const sandbox = await startSandboxServer({ rateLimit: false, ...opts.sandbox });
  const issued = new Set<string>();
  let bed!: Testbed;
  const recordingFetch: typeof fetch = async (input, init) => {
    if (bed.offline) throw new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) });
    const res = await fetch(input, init);
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (url.endsWith("/oauth-v1/token") && res.ok) {
      const body = (await res.clone().json().catch(() => ({}))) as Record<string, unknown>;
      for (const k of ["access_token", "refresh_token"]) if (typeof body[k] === "string") issued.add(body[k] as string);
    }
    return res;
  };
  const config: FortnoxConfig = {
    sandbox: true,
    appUrl: APP_URL,
    oauthUrl: `${sandbox.url}/oauth-v1`,
    apiUrl: `${sandbox.url}/3`,
    clientId: "sandbox-client",
    clientSecret: "sandbox-secret",
    redirectUri: `${APP_URL}/api/auth/callback/fortnox`,
  };
  const key = randomBytes(32);
  const runtime = createConnectionRuntime({ config, cipher: createTokenCipher({ current: { version: 1, key } }), fetch: recordingFetch, now: opts.now });
  const env = loadEnv({ NODE_ENV: "test", NEXTAUTH_SECRET: randomBytes(32).toString("base64url"), TOKEN_ENCRYPTION_KEY: key.toString("base64"), NEXTAUTH_URL: APP_URL });
  bed = { sandbox, runtime, env, issued, offline: false, close: () => sandbox.close() };
  return bed;
}

/** A tRPC caller that also collects response headers (the attempt cookie). */
export function connectionCaller(db: Db, bed: Testbed, userId: string | null, resHeaders = new Headers()) {
  return { caller: createCaller({ db, userId, locale: "sv", resHeaders, fortnox: bed.runtime }), resHeaders };
}

class Jar {
  private readonly cookies = new Map<string, string>();
  take(headers: Headers) {
    for (const line of headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const i = pair.indexOf("=");
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === "";
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  set(name: string, value: string) {
    this.cookies.set(name, value);
  }
  get(name: string) {
    return this.cookies.get(name);
  }
  delete(name: string) {
    this.cookies.delete(name);
  }
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

/** A browser's view of the app: a cookie jar, signed in as `userId` (a NextAuth session cookie, as sign-in sets it). */
export async function browserAs(bed: Testbed, userId: string | null) {
  const jar = new Jar();
  if (userId) jar.set("next-auth.session-token", await encode({ token: { sub: userId }, secret: bed.env.NEXTAUTH_SECRET }));
  const options = buildAuthOptions(bed.env, bed.runtime.config);
  const auth = async (method: "GET" | "POST", path: string, form?: Record<string, string>) => {
    const req = new Request(`${APP_URL}/api/auth/${path}`, {
      method,
      headers: { cookie: jar.header(), ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}) },
      body: form ? new URLSearchParams(form) : undefined,
    });
    const segments = new URL(req.url).pathname.split("/").slice(3);
    const res = await runNextAuth(req, segments, options);
    jar.take(res.headers);
    return res;
  };
  return { jar, auth };
}

export interface RoundTripInput {
  userId: string;
  clientId: string;
  tenantId?: number;
  kind?: "user" | "service";
  decision?: "approve" | "deny";
  /** Change, in place, the URL Fortnox sends the browser back to (forged state, another code …). */
  tamper?: (callback: URL) => void;
  /** Skip the attempt (no startConnect). */
  noAttempt?: boolean;
  /** "attachments": the export's extra consent (inbox + connectfile), back to `projectId`. */
  purpose?: "connect" | "attachments";
  projectId?: string;
  /** Query of the NextAuth sign-in request (default: account_type=service for service accounts). */
  signinQuery?: string;
  /** Runs after the consent, before the browser follows the redirect to the callback. */
  beforeCallback?: (b: Awaited<ReturnType<typeof browserAs>>) => Promise<void> | void;
}

export interface RoundTrip {
  /** Where the callback sent the browser. */
  location: URL;
  /** The callback URL as Fortnox sent it (before tampering). */
  callback: URL;
  browser: Awaited<ReturnType<typeof browserAs>>;
}

/** Anslut till Fortnox → NextAuth sign-in → the sandbox's consent form → the callback, as a browser does it. */
export async function oauthRoundTrip(db: Db, bed: Testbed, input: RoundTripInput, browser?: Awaited<ReturnType<typeof browserAs>>): Promise<RoundTrip> {
  const b = browser ?? (await browserAs(bed, input.userId));
  let asked: Record<string, string> | null = null;
  if (!input.noAttempt) {
    const { caller, resHeaders } = connectionCaller(db, bed, input.userId);
    ({ authorizationParams: asked } = await caller.connection.startConnect({ clientId: input.clientId, kind: input.kind ?? "user", purpose: input.purpose, projectId: input.projectId }));
    b.jar.take(resHeaders);
  }
  const csrf = (await (await b.auth("GET", "csrf")).json()) as { csrfToken: string };
  // As the page does: signIn("fortnox", …, authorizationParams) puts the attempt's scope (and account type) in the query.
  const query = input.signinQuery ?? (asked ? `?${new URLSearchParams(asked)}` : input.kind === "service" ? "?account_type=service" : "");
  const signin = await b.auth("POST", `signin/fortnox${query}`, { csrfToken: csrf.csrfToken, callbackUrl: `${APP_URL}/clients/${input.clientId}/connection`, json: "true" });
  const { url } = (await signin.json()) as { url: string };
  const authorize = new URL(url);
  if (!authorize.href.startsWith(bed.runtime.config.oauthUrl)) throw new Error(`sign-in did not go to Fortnox: ${url}`);
  // The consent page is a plain form: submit it as the browser would.
  const form = new URLSearchParams(Object.fromEntries(authorize.searchParams));
  form.set("tenant", String(input.tenantId ?? DEMO_TENANT));
  form.set("decision", input.decision ?? "approve");
  const consent = await fetch(`${bed.runtime.config.oauthUrl}/auth`, { method: "POST", body: form, redirect: "manual" });
  const callback = new URL(consent.headers.get("location")!);
  const target = new URL(callback);
  input.tamper?.(target);
  await input.beforeCallback?.(b);
  const res = await handleFortnoxCallback(new Request(target, { headers: { cookie: b.jar.header() } }), { db, runtime: bed.runtime, env: bed.env });
  b.jar.take(res.headers);
  return { location: new URL(res.headers.get("location")!), callback, browser: b };
}

/** A connected client without going through the browser flow (token store tests). */
export async function connectDirectly(db: Db, bed: Testbed, input: { userId: string; clientId: string; tenantId?: number; purpose?: "connect" | "attachments" }) {
  const rt = await oauthRoundTrip(db, bed, input);
  if (rt.location.searchParams.get("fortnox") !== "connected") throw new Error(`connect failed: ${rt.location}`);
  return rt;
}

