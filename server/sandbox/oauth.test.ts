// Long (~345 lines): the OAuth server's contract, case by case, over one running sandbox.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { optionsFromEnv } from "./options";
import type { SandboxServer } from "./server";
import {
  CLIENT_ID, FULL_SCOPE, REDIRECT, apiClient, authorizeUrl, basic, browserConsent, connect, control, getCode, jwtClaims, start,
  tokenRequest,
} from "./testing/helpers";

// Contract tests of the sandbox's OAuth server (docs/fortnox-api.md §1), over real HTTP.

let s: SandboxServer;
beforeAll(async () => {
  s = await start({
    currentYear: 2025,
    clients: [
      { clientId: CLIENT_ID, clientSecret: "sandbox-secret" },
      { clientId: "other-client", clientSecret: "other-secret" },
    ],
  });
});
afterAll(() => s.close());
beforeEach(async () => {
  await control(s.url, "reset", {});
});

const code = (loc: URL | null) => loc?.searchParams.get("code") ?? null;
const exchange = (c: string, redirect = REDIRECT, auth?: string) =>
  tokenRequest(s.url, { grant_type: "authorization_code", code: c, redirect_uri: redirect }, auth ? { authorization: auth } : {});
const refresh = (token: string) => tokenRequest(s.url, { grant_type: "refresh_token", refresh_token: token });
const advance = (seconds: number) => control(s.url, "clock", { advanceSeconds: seconds });

describe("/auth: login and consent page", () => {
  it("is a plain HTML form that works without JavaScript: tenant choice, approve and deny buttons", async () => {
    const res = await fetch(authorizeUrl(s.url, { state: 'x"<y' }));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const { form } = await browserConsent(s.url, { decision: "deny" });
    expect(form.method).toBe("post");
    expect(form.action).toBe(`${s.url}/oauth-v1/auth`);
    expect(form.html).not.toMatch(/<script/i);
    // One choice per demo company, one of them preselected so a bare submit works.
    expect(form.tenants).toEqual(["1234567", "2345678", "3456789", "4567890"]);
    expect(form.checkedTenant).toBe("1234567");
    expect(form.decisions.sort()).toEqual(["approve", "deny"]);
    expect(form.hidden).toMatchObject({ client_id: CLIENT_ID, redirect_uri: REDIRECT, scope: FULL_SCOPE, response_type: "code" });
    // The state survives HTML escaping unchanged.
    const page = await (await fetch(authorizeUrl(s.url, { state: 'x"<y' }))).text();
    expect(page).not.toContain('x"<y');
    expect(page).toContain("x&#34;&#60;y");
  });

  it("deny sends the user back with error=access_denied and the state", async () => {
    const { res, location } = await browserConsent(s.url, { decision: "deny", params: { state: "abc 123" } });
    expect(res.status).toBe(302);
    expect(`${location!.origin}${location!.pathname}`).toBe(REDIRECT);
    expect(location!.searchParams.get("error")).toBe("access_denied");
    expect(location!.searchParams.get("state")).toBe("abc 123");
    expect(location!.searchParams.has("code")).toBe(false);
  });

  it("approve sends back a code and the state for the chosen tenant", async () => {
    const { location } = await browserConsent(s.url, { decision: "approve", tenant: "3456789", params: { state: "s-9" } });
    expect(location!.searchParams.get("state")).toBe("s-9");
    const tokens = await exchange(code(location)!);
    expect(tokens.status).toBe(200);
    expect(jwtClaims(tokens.body.access_token as string).tenantId).toBe(3456789);
  });

  it("accepts redirect URIs on localhost and 127.0.0.1 only; never redirects to a foreign one", async () => {
    for (const uri of ["http://localhost:3000/cb", "http://127.0.0.1:51234/api/auth/callback/fortnox"]) {
      const { location } = await browserConsent(s.url, { decision: "approve", params: { redirect_uri: uri } });
      expect(`${location!.origin}${location!.pathname}`).toBe(uri);
    }
    for (const uri of ["https://evil.example/cb", "not a url"]) {
      const res = await fetch(authorizeUrl(s.url, { redirect_uri: uri }), { redirect: "manual" });
      expect(res.status).toBe(400);
      expect(res.headers.get("location")).toBeNull();
    }
  });

  it("refuses an unknown client with a page, not a redirect", async () => {
    const res = await fetch(authorizeUrl(s.url, { client_id: "nobody" }), { redirect: "manual" });
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
    expect(await res.text()).toContain("nobody");
  });

  it("sends an unknown scope back as invalid_scope; scopes are case-sensitive", async () => {
    for (const scope of ["bookkeeping everything", "Bookkeeping", ""]) {
      const res = await fetch(authorizeUrl(s.url, { scope }), { redirect: "manual" });
      expect(res.status, scope).toBe(302);
      expect(new URL(res.headers.get("location")!).searchParams.get("error")).toBe("invalid_scope");
    }
  });

  it("grants the scopes consented to, and only those", async () => {
    const t = await connect(s.url, { scope: "bookkeeping companyinformation" });
    expect(t.scope).toBe("bookkeeping companyinformation");
    const api = apiClient(s.url, t.access_token);
    expect((await api.get("companyinformation")).status).toBe(200);
    expect((await api.get("invoices")).status).toBe(403);
  });
});

describe("/auth: the app registration's fixed scope set", () => {
  it("refuses the whole consent before login when one scope is outside the registration, with description and state", async () => {
    // profile and archive are real Fortnox scopes, but no feature of the app needs them: not registered by default.
    for (const scope of [`${FULL_SCOPE} profile`, "bookkeeping archive", "archive"]) {
      const res = await fetch(authorizeUrl(s.url, { scope, state: "st 9" }), { redirect: "manual" });
      expect(res.status, scope).toBe(302);
      const loc = new URL(res.headers.get("location")!);
      expect(`${loc.origin}${loc.pathname}`).toBe(REDIRECT);
      expect(loc.searchParams.get("error")).toBe("invalid_scope");
      expect(loc.searchParams.get("error_description")).toMatch(/profile|archive/);
      expect(loc.searchParams.get("state")).toBe("st 9");
      expect(loc.searchParams.has("code")).toBe(false);
    }
    // A form posted anyway (an old page) is refused the same way: no code.
    const { location } = await browserConsent(s.url, { decision: "approve", params: {} });
    expect(location!.searchParams.has("code")).toBe(true);
    const form = new URLSearchParams({ client_id: CLIENT_ID, redirect_uri: REDIRECT, scope: "bookkeeping profile", state: "p", response_type: "code", tenant: "1234567", decision: "approve" });
    const posted = await fetch(`${s.url}/oauth-v1/auth`, { method: "POST", body: form, redirect: "manual" });
    expect(new URL(posted.headers.get("location")!).searchParams.get("error")).toBe("invalid_scope");
    expect((await control(s.url, "state")).body.invalidScope).toBe(4);
  });

  it("an unregistered redirect_uri gets an error page, never a redirect, even with a bad scope", async () => {
    const res = await fetch(authorizeUrl(s.url, { scope: "profile", redirect_uri: "https://evil.example/cb" }), { redirect: "manual" });
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
  });

  it("the default registration is what the app's features need; options and SANDBOX_CLIENT_SCOPES set another", async () => {
    expect(FULL_SCOPE.split(" ").sort()).toEqual(["bookkeeping", "companyinformation", "connectfile", "inbox", "invoice", "payment", "settings", "supplierinvoice"]);
    const narrow = await start(optionsFromEnv({ SANDBOX_CLIENT_SCOPES: "bookkeeping companyinformation" }));
    const wide = await start({ clients: [{ clientId: CLIENT_ID, clientSecret: "sandbox-secret", scopes: [...FULL_SCOPE.split(" "), "profile"] }] });
    try {
      const refused = await fetch(authorizeUrl(narrow.url, { scope: "bookkeeping companyinformation inbox" }), { redirect: "manual" });
      expect(new URL(refused.headers.get("location")!).searchParams.get("error")).toBe("invalid_scope");
      expect((await connect(narrow.url, { scope: "bookkeeping companyinformation" })).scope).toBe("bookkeeping companyinformation");
      const me = apiClient(wide.url, (await connect(wide.url, { scope: `${FULL_SCOPE} profile` })).access_token);
      expect((await me.get("me")).status).toBe(200);
    } finally {
      await narrow.close();
      await wide.close();
    }
  });
});

describe("/token: authorization_code", () => {
  it("answers Fortnox's token shape with a JWT-shaped access token valid one hour", async () => {
    const before = Math.floor(Date.now() / 1000);
    const { status, body } = await exchange(await getCode(s.url, { tenantId: 2345678 }));
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(["access_token", "expires_in", "refresh_token", "scope", "token_type"]);
    expect(body).toMatchObject({ expires_in: 3600, token_type: "bearer", scope: FULL_SCOPE });
    const claims = jwtClaims(body.access_token as string);
    expect(claims.tenantId).toBe(2345678);
    expect(typeof claims.userId).toBe("string");
    expect(claims.exp).toBeGreaterThanOrEqual(before + 3600);
    expect(claims.exp).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 3600);
    // tenantId is the company's DatabaseNumber.
    const info = await apiClient(s.url, body.access_token as string).get("companyinformation");
    expect(info.body.CompanyInformation.DatabaseNumber).toBe(2345678);
  });

  it("a code is single use", async () => {
    const c = await getCode(s.url);
    expect((await exchange(c)).status).toBe(200);
    const again = await exchange(c);
    expect(again.status).toBe(400);
    expect(again.body.error).toBe("invalid_grant");
  });

  it("a code lives ten minutes", async () => {
    const fresh = await getCode(s.url);
    const old = await getCode(s.url);
    await advance(599);
    expect((await exchange(fresh)).status).toBe(200);
    await advance(2);
    const late = await exchange(old);
    expect(late.status).toBe(400);
    expect(late.body.error).toBe("invalid_grant");
  });

  it("a code is bound to its redirect_uri and its client", async () => {
    const wrongRedirect = await exchange(await getCode(s.url), "http://localhost:3000/other");
    expect(wrongRedirect).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    const otherClient = await exchange(await getCode(s.url), REDIRECT, basic("other-client", "other-secret"));
    expect(otherClient).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });

  it("requires Basic client authentication", async () => {
    const c = await getCode(s.url);
    expect(await exchange(c, REDIRECT, basic(CLIENT_ID, "wrong"))).toMatchObject({ status: 401, body: { error: "invalid_client" } });
    const noAuth = await fetch(`${s.url}/oauth-v1/token`, { method: "POST", body: new URLSearchParams({ grant_type: "authorization_code", code: c, redirect_uri: REDIRECT }) });
    expect(noAuth.status).toBe(401);
    // The failed attempts did not burn the code.
    expect((await exchange(c)).status).toBe(200);
  });

  it("refuses an unknown grant type", async () => {
    expect(await tokenRequest(s.url, { grant_type: "password" })).toMatchObject({ status: 400, body: { error: "unsupported_grant_type" } });
  });
});

describe("/token: refresh_token rotation", () => {
  it("returns a new pair and kills the old refresh token", async () => {
    const first = await connect(s.url);
    const r1 = await refresh(first.refresh_token);
    expect(r1.status).toBe(200);
    expect(r1.body).toMatchObject({ expires_in: 3600, token_type: "bearer", scope: FULL_SCOPE });
    expect(r1.body.refresh_token).not.toBe(first.refresh_token);
    expect(r1.body.access_token).not.toBe(first.access_token);
    // Reusing the old one: exactly Fortnox's body.
    const reused = await refresh(first.refresh_token);
    expect(reused).toEqual({ status: 400, body: { error: "invalid_grant", error_description: "Invalid refresh token" } });
    // The rotated one still works.
    expect((await refresh(r1.body.refresh_token as string)).status).toBe(200);
  });

  it("two concurrent refreshes with one token: exactly one wins", async () => {
    const t = await connect(s.url);
    const results = await Promise.all([refresh(t.refresh_token), refresh(t.refresh_token)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
  });

  it("a refresh token lives 45 days", async () => {
    const a = await connect(s.url);
    const b = await connect(s.url);
    await advance(45 * 86400 - 60);
    expect((await refresh(a.refresh_token)).status).toBe(200);
    await advance(120);
    expect(await refresh(b.refresh_token)).toEqual({ status: 400, body: { error: "invalid_grant", error_description: "Invalid refresh token" } });
  });

  it("an access token lives one hour on the sandbox clock", async () => {
    const t = await connect(s.url);
    const api = apiClient(s.url, t.access_token);
    await advance(3590);
    expect((await api.get("companyinformation")).status).toBe(200);
    await advance(20);
    expect((await api.get("companyinformation")).status).toBe(401);
  });

  it("the status of a dead refresh token is configurable (UNCONFIRMED 400/401), also from env", async () => {
    const s401 = await start({ invalidRefreshStatus: 401 });
    try {
      const t = await connect(s401.url);
      await tokenRequest(s401.url, { grant_type: "refresh_token", refresh_token: t.refresh_token });
      const reused = await tokenRequest(s401.url, { grant_type: "refresh_token", refresh_token: t.refresh_token });
      expect(reused).toEqual({ status: 401, body: { error: "invalid_grant", error_description: "Invalid refresh token" } });
    } finally {
      await s401.close();
    }
    expect(optionsFromEnv({ SANDBOX_REFRESH_ERROR_STATUS: "401" }).invalidRefreshStatus).toBe(401);
    expect(optionsFromEnv({}).invalidRefreshStatus).toBeUndefined();
  });
});

describe("/token: client_credentials (service accounts)", () => {
  const service = (tenantId: string | null, auth?: string) =>
    tokenRequest(s.url, { grant_type: "client_credentials" }, { ...(tenantId ? { TenantId: tenantId } : {}), ...(auth ? { authorization: auth } : {}) });

  it("gives an access token without refresh token for a tenant that approved a service account", async () => {
    const { status, body } = await service("2345678");
    expect(status).toBe(200);
    expect(body.refresh_token).toBeUndefined();
    expect(body).toMatchObject({ expires_in: 3600, token_type: "bearer" });
    expect(jwtClaims(body.access_token as string).tenantId).toBe(2345678);
    expect((await apiClient(s.url, body.access_token as string).get("companyinformation")).status).toBe(200);
  });

  it("refuses tenants without approval until an administrator consents with account_type=service", async () => {
    expect((await service("1234567")).status).toBe(401);
    await browserConsent(s.url, { decision: "approve", tenant: "1234567", params: { account_type: "service" } });
    expect((await service("1234567")).status).toBe(200);
    // The approval is for that client only.
    expect((await service("1234567", basic("other-client", "other-secret"))).status).toBe(401);
  });

  it("grants what the administrator approved: the consent's scopes, or the registration's for a tenant approved beforehand", async () => {
    await browserConsent(s.url, { decision: "approve", tenant: "1234567", params: { account_type: "service", scope: "bookkeeping companyinformation" } });
    const { body } = await service("1234567");
    expect(body.scope).toBe("bookkeeping companyinformation");
    expect((await apiClient(s.url, body.access_token as string).get("invoices")).status).toBe(403);
    // Asking for more than was approved is refused; for a part of it, that part is granted.
    const more = await tokenRequest(s.url, { grant_type: "client_credentials", scope: "bookkeeping inbox" }, { TenantId: "1234567" });
    expect(more).toMatchObject({ status: 400, body: { error: "invalid_scope" } });
    const part = await tokenRequest(s.url, { grant_type: "client_credentials", scope: "bookkeeping" }, { TenantId: "1234567" });
    expect(part.body.scope).toBe("bookkeeping");
    expect((await service("2345678")).body.scope).toBe(FULL_SCOPE);
  });

  it("requires a known TenantId header and client authentication", async () => {
    expect((await service(null)).status).toBe(400);
    expect((await service("999")).status).toBe(400);
    expect((await service("2345678", basic(CLIENT_ID, "wrong"))).status).toBe(401);
  });
});

describe("/revoke", () => {
  const revoke = (token: string, auth = basic()) =>
    fetch(`${s.url}/oauth-v1/revoke`, { method: "POST", headers: { authorization: auth }, body: new URLSearchParams({ token_type_hint: "refresh_token", token }) });

  it("revokes a refresh token; the access token lives on until it expires (Fortnox cannot revoke those)", async () => {
    const t = await connect(s.url);
    const res = await revoke(t.refresh_token);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ revoked: true });
    expect(await refresh(t.refresh_token)).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    expect((await apiClient(s.url, t.access_token).get("companyinformation")).status).toBe(200);
  });

  it("also kills the refresh tokens rotated from the revoked one's grant", async () => {
    const t = await connect(s.url);
    const r1 = await refresh(t.refresh_token);
    await revoke(t.refresh_token); // an already used token of the same grant
    expect((await refresh(r1.body.refresh_token as string)).status).toBe(400);
  });

  it("requires client authentication", async () => {
    const t = await connect(s.url);
    expect((await revoke(t.refresh_token, basic(CLIENT_ID, "nope"))).status).toBe(401);
    expect((await refresh(t.refresh_token)).status).toBe(200);
  });
});

describe("registered client from env", () => {
  it("SANDBOX_CLIENT_ID / SANDBOX_CLIENT_SECRET, defaulting to sandbox-client / sandbox-secret", async () => {
    expect(optionsFromEnv({}).clients).toEqual([{ clientId: "sandbox-client", clientSecret: "sandbox-secret" }]);
    expect(optionsFromEnv({ SANDBOX_CLIENT_SCOPES: "bookkeeping, inbox" }).clients![0].scopes).toEqual(["bookkeeping", "inbox"]);
    const custom = await start(optionsFromEnv({ SANDBOX_CLIENT_ID: "my-app", SANDBOX_CLIENT_SECRET: "s3cret" }));
    try {
      const form = new URLSearchParams({ client_id: "my-app", redirect_uri: REDIRECT, scope: "bookkeeping", state: "x", response_type: "code", tenant: "1234567", decision: "approve" });
      const res = await fetch(`${custom.url}/oauth-v1/auth`, { method: "POST", body: form, redirect: "manual" });
      const c = new URL(res.headers.get("location")!).searchParams.get("code")!;
      const params = { grant_type: "authorization_code", code: c, redirect_uri: REDIRECT };
      expect((await tokenRequest(custom.url, params)).status).toBe(401); // the default secret is not registered here
      expect((await tokenRequest(custom.url, params, { authorization: basic("my-app", "s3cret") })).status).toBe(200);
    } finally {
      await custom.close();
    }
  });
});
