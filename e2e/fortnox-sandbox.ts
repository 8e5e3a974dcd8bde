import type { APIRequestContext } from "@playwright/test";
import { mountedSandboxClient, type Env } from "../server/env";

// Reads the app's own Fortnox sandbox the way a second integration would: its own OAuth grant, then the API. The
// mounted sandbox has no control API, and its client secret is derived from the app's NEXTAUTH_SECRET, which
// playwright.config.ts shares with the tests through E2E_NEXTAUTH_SECRET.

const BASE = "/sandbox/fortnox";

export async function sandboxApi(request: APIRequestContext, baseURL: string, tenant = 1234567) {
  const { clientId, clientSecret } = mountedSandboxClient({ NEXTAUTH_SECRET: process.env.E2E_NEXTAUTH_SECRET } as Env, {});
  const redirectUri = `${baseURL}/api/auth/callback/fortnox`;
  const consent = await request.post(`${BASE}/oauth-v1/auth`, {
    form: { client_id: clientId, redirect_uri: redirectUri, scope: "bookkeeping connectfile", state: "e2e", response_type: "code", tenant: String(tenant), decision: "approve" },
    maxRedirects: 0,
  });
  const code = new URL(consent.headers().location!).searchParams.get("code")!;
  const token = await request.post(`${BASE}/oauth-v1/token`, {
    headers: { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}` },
    form: { grant_type: "authorization_code", code, redirect_uri: redirectUri },
  });
  if (!token.ok()) throw new Error(`sandbox token: ${token.status()}`);
  const { access_token } = (await token.json()) as { access_token: string };
  return {
    async get<T = Record<string, unknown>>(path: string): Promise<{ status: number; body: T }> {
      const res = await request.get(`${BASE}/3/${path}`, { headers: { authorization: `Bearer ${access_token}` } });
      return { status: res.status(), body: (await res.json()) as T };
    },
  };
}
