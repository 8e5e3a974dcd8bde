import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFortnoxOAuth, decodeAccessTokenClaims, FORTNOX_SCOPES } from "./oauth";
import { FortnoxAuthError, FortnoxNetworkError } from "./errors";
import { startFakeOAuth, type FakeOAuth } from "./testing/fake-oauth";

let fake: FakeOAuth;
beforeAll(async () => {
  fake = await startFakeOAuth();
  fake.delayMs = 0;
});
afterAll(() => fake.close());

const oauth = () => createFortnoxOAuth({ oauthUrl: fake.url, clientId: "cid", clientSecret: "sec", now: () => 1_000_000 });

async function authError(p: Promise<unknown>): Promise<FortnoxAuthError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(FortnoxAuthError);
    return e as FortnoxAuthError;
  }
  throw new Error("expected FortnoxAuthError");
}

describe("oauth", () => {
  it("builds the authorize URL with %20-joined scopes", () => {
    const url = new URL(oauth().authorizeUrl({ redirectUri: "http://localhost:3000/cb", state: "s1", accessType: "offline" }));
    expect(url.pathname).toBe("/oauth-v1/auth");
    expect(url.searchParams.get("scope")).toBe(FORTNOX_SCOPES.join(" "));
    expect(url.search).toContain("scope=bookkeeping%20companyinformation");
    expect(url.searchParams.get("response_type")).toBe("code");
    expect(url.searchParams.get("access_type")).toBe("offline");
    expect(url.searchParams.get("account_type")).toBeNull();
  });

  it("exchanges a code with Basic auth and form body, then rotates on refresh", async () => {
    const t = await oauth().exchangeCode({ code: "good-code", redirectUri: "http://cb" });
    const call = fake.tokenCalls.at(-1)!;
    expect(call.authorization).toBe(`Basic ${Buffer.from("cid:sec").toString("base64")}`);
    expect(call.form.get("redirect_uri")).toBe("http://cb");
    expect(t).toMatchObject({ expiresIn: 3600, expiresAt: 1_000_000 + 3_600_000, tokenType: "bearer", scopes: ["bookkeeping", "companyinformation"] });
    const t2 = await oauth().refresh(t.refreshToken!);
    expect(t2.refreshToken).not.toBe(t.refreshToken);
    // single use: the old one is dead now
    const err = await authError(oauth().refresh(t.refreshToken!));
    expect(err.kind).toBe("refresh_token_dead");
    expect(err.translationKey).toBe("fortnox.error.auth.refresh_token_dead");
  });

  it.each([
    [400, { error: "invalid_grant", error_description: "Invalid refresh token" }],
    [401, { error: "invalid_grant" }],
    [401, { error: "invalid_request", error_description: "Invalid refresh token" }],
    [400, { message: "Invalid refresh token" }],
    [400, { ErrorInformation: { Error: 1, Message: "Invalid refresh token", Code: "2000000" } }],
  ])("a dead refresh token is recognised (status %i, %j)", async (status, body) => {
    fake.deadAnswer = { status, body };
    expect((await authError(oauth().refresh("nope"))).kind).toBe("refresh_token_dead");
  });

  it("other OAuth errors keep their kind", async () => {
    expect((await authError(oauth().exchangeCode({ code: "bad", redirectUri: "x" }))).kind).toBe("invalid_grant");
    fake.revokedService = true;
    expect((await authError(oauth().clientCredentials("1234"))).kind).toBe("unauthorized_client");
    fake.revokedService = false;
  });

  it("client_credentials sends TenantId and yields no refresh token", async () => {
    const t = await oauth().clientCredentials(1234);
    expect(fake.tokenCalls.at(-1)!.tenantId).toBe("1234");
    expect(t.refreshToken).toBeNull();
    expect(decodeAccessTokenClaims(t.accessToken)).toEqual({ tenantId: "1234", userId: "u-1", exp: 9e9 });
  });

  it("revokes", async () => {
    const t = await oauth().exchangeCode({ code: "good-code", redirectUri: "x" });
    expect(await oauth().revoke(t.refreshToken!)).toBe(true);
    expect(fake.live.has(t.refreshToken!)).toBe(false);
  });

  it("network failure is a FortnoxNetworkError, not an auth error", async () => {
    const o = createFortnoxOAuth({ oauthUrl: "http://127.0.0.1:9/oauth-v1", clientId: "c", clientSecret: "s" });
    await expect(o.refresh("x")).rejects.toBeInstanceOf(FortnoxNetworkError);
  });

  it("decodeAccessTokenClaims tolerates garbage", () => {
    expect(decodeAccessTokenClaims("not-a-jwt")).toEqual({});
    expect(decodeAccessTokenClaims("a.!!!.c")).toEqual({});
  });
});
