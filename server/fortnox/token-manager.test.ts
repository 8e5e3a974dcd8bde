import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createFortnoxOAuth } from "./oauth";
import { FortnoxAuthError, FortnoxNetworkError } from "./errors";
import { createFortnoxClient } from "./http";
import { SlidingWindowLimiter } from "./limiter";
import {
  clientAuthFor,
  ConnectionNeedsReconnectError,
  createTokenManager,
  InMemoryTokenStore,
  type StoredTokens,
  type TokenStore,
} from "./token-manager";
import { startFakeOAuth, type FakeOAuth } from "./testing/fake-oauth";
import { sendJson, startServer } from "./testing/http-server";

let fake: FakeOAuth;
beforeAll(async () => {
  fake = await startFakeOAuth();
});
afterAll(() => fake.close());
afterEach(() => {
  fake.tokenCalls.length = 0;
  fake.failNext = { count: 0, status: 503 };
  fake.dropAfterRotate = 0;
  fake.deadAnswer = { status: 400, body: { error: "invalid_grant", error_description: "Invalid refresh token" } };
});

const T0 = 1_700_000_000_000;
const oauth = () => createFortnoxOAuth({ oauthUrl: fake.url, clientId: "c", clientSecret: "s", now: () => T0 });

function expiredRow(refreshToken: string | null, extra: Partial<StoredTokens> = {}): StoredTokens {
  return {
    connectionId: "conn-1",
    accessToken: "old-access",
    accessTokenExpiresAt: T0 + 30_000, // under the 60 s margin: must refresh
    refreshToken,
    tenantId: null,
    status: "active",
    ...extra,
  };
}

describe("getValidAccessToken", () => {
  it("fast path: a token valid for more than 60 s is returned without lock or refresh", async () => {
    const store = new InMemoryTokenStore();
    store.put(expiredRow("r", { accessTokenExpiresAt: T0 + 61_000, accessToken: "still-good" }));
    let locked = 0;
    const orig = store.withLock.bind(store);
    store.withLock = (id, fn) => (locked++, orig(id, fn));
    const m = createTokenManager({ store, oauth: oauth(), now: () => T0 });
    expect(await m.getValidAccessToken("conn-1")).toBe("still-good");
    expect(locked).toBe(0);
    expect(fake.tokenCalls).toHaveLength(0);
  });

  it("20 concurrent calls after expiry → exactly one refresh, same token for all, rotated token saved", async () => {
    fake.live.add("rt-A");
    const store = new InMemoryTokenStore();
    store.put(expiredRow("rt-A"));
    const m = createTokenManager({ store, oauth: oauth(), now: () => T0 });
    const tokens = await Promise.all(Array.from({ length: 20 }, () => m.getValidAccessToken("conn-1")));
    expect(fake.tokenCalls.filter((c) => c.grantType === "refresh_token")).toHaveLength(1);
    expect(new Set(tokens).size).toBe(1);
    const row = (await store.read("conn-1"))!;
    expect(row.accessToken).toBe(tokens[0]);
    expect(row.accessTokenExpiresAt).toBe(T0 + 3_600_000);
    expect(fake.live.has(row.refreshToken!)).toBe(true); // the saved one is the live one
    expect(fake.live.has("rt-A")).toBe(false);
  });

  it("two managers (two processes) sharing one store still refresh once: the lock re-reads", async () => {
    fake.live.add("rt-B");
    const store = new InMemoryTokenStore();
    store.put(expiredRow("rt-B"));
    const a = createTokenManager({ store, oauth: oauth(), now: () => T0 });
    const b = createTokenManager({ store, oauth: oauth(), now: () => T0 });
    const tokens = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).getValidAccessToken("conn-1")),
    );
    expect(fake.tokenCalls).toHaveLength(1);
    expect(new Set(tokens).size).toBe(1);
  });

  it("saves the rotated refresh token before handing out the access token", async () => {
    fake.live.add("rt-C");
    const store = new InMemoryTokenStore();
    store.put(expiredRow("rt-C"));
    const events: string[] = [];
    const origSave = store.save.bind(store);
    store.save = async (id, t) => {
      await new Promise((r) => setTimeout(r, 30));
      await origSave(id, t);
      events.push("saved");
    };
    const m = createTokenManager({ store, oauth: oauth(), now: () => T0 });
    await m.getValidAccessToken("conn-1").then(() => events.push("returned"));
    expect(events).toEqual(["saved", "returned"]);
  });

  it.each([
    [400, { error: "invalid_grant", error_description: "Invalid refresh token" }],
    [401, { error: "invalid_grant", error_description: "Invalid refresh token" }],
    [401, { message: "Invalid refresh token" }],
  ])("a dead refresh token (%i) marks the connection needs-reconnect and throws typed", async (status, body) => {
    fake.deadAnswer = { status, body };
    const store = new InMemoryTokenStore();
    store.put(expiredRow("dead-token"));
    const m = createTokenManager({ store, oauth: oauth(), now: () => T0 });
    const err = await m.getValidAccessToken("conn-1").catch((e) => e);
    expect(err).toBeInstanceOf(ConnectionNeedsReconnectError);
    expect(err.translationKey).toBe("fortnox.error.needs_reconnect");
    expect((await store.read("conn-1"))!.status).toBe("needs_reconnect");
    expect(store.reconnectReasons.get("conn-1")).toBe("refresh_token_dead");
    // Later calls fail fast without asking Fortnox.
    const calls = fake.tokenCalls.length;
    await expect(m.getValidAccessToken("conn-1")).rejects.toBeInstanceOf(ConnectionNeedsReconnectError);
    expect(fake.tokenCalls.length).toBe(calls);
  });

  it("a network error during refresh does NOT mark needs-reconnect", async () => {
    const store = new InMemoryTokenStore();
    store.put(expiredRow("rt-D"));
    const broken = createFortnoxOAuth({ oauthUrl: "http://127.0.0.1:9/oauth-v1", clientId: "c", clientSecret: "s" });
    const m = createTokenManager({ store, oauth: broken, now: () => T0, retryDelaysMs: [1, 1] });
    await expect(m.getValidAccessToken("conn-1")).rejects.toBeInstanceOf(FortnoxNetworkError);
    expect((await store.read("conn-1"))!).toMatchObject({ status: "active", refreshToken: "rt-D" });
  });

  it.each([502, 503, 429])("a refresh Fortnox answers %i twice is tried again and succeeds; the rotated token is saved", async (status) => {
    fake.live.add("rt-E");
    fake.failNext = { count: 2, status };
    const store = new InMemoryTokenStore();
    store.put(expiredRow("rt-E"));
    const waits: number[] = [];
    const m = createTokenManager({ store, oauth: oauth(), now: () => T0, sleep: async (ms) => void waits.push(ms) });
    const token = await m.getValidAccessToken("conn-1");
    expect(token).toMatch(/access-\d+$/);
    expect(fake.tokenCalls).toHaveLength(3);
    expect(waits).toEqual([1_000, 3_000]);
    const row = (await store.read("conn-1"))!;
    expect(row).toMatchObject({ status: "active", accessToken: token });
    expect(row.refreshToken).not.toBe("rt-E");
    expect(fake.live.has(row.refreshToken!)).toBe(true);
  });

  it("a refresh that keeps failing with 503 gives up after three tries, typed, and keeps the refresh token", async () => {
    fake.live.add("rt-F");
    fake.failNext = { count: 10, status: 503 };
    const store = new InMemoryTokenStore();
    store.put(expiredRow("rt-F"));
    const m = createTokenManager({ store, oauth: oauth(), now: () => T0, sleep: async () => {} });
    const err = await m.getValidAccessToken("conn-1").catch((e) => e);
    expect(err).toBeInstanceOf(FortnoxAuthError);
    expect(err.kind).toBe("server_error");
    expect(fake.tokenCalls).toHaveLength(3);
    expect((await store.read("conn-1"))!).toMatchObject({ status: "active", refreshToken: "rt-F" });
    // Once Fortnox is back, the same token works.
    fake.failNext = { count: 0, status: 503 };
    await expect(m.getValidAccessToken("conn-1")).resolves.toMatch(/access-/);
  });

  it("an answer lost after Fortnox rotated the token: the retry finds it dead and the connection asks for a reconnect", async () => {
    fake.live.add("rt-G");
    fake.dropAfterRotate = 1;
    const store = new InMemoryTokenStore();
    store.put(expiredRow("rt-G"));
    const m = createTokenManager({ store, oauth: oauth(), now: () => T0, sleep: async () => {} });
    await expect(m.getValidAccessToken("conn-1")).rejects.toBeInstanceOf(ConnectionNeedsReconnectError);
    expect(fake.tokenCalls).toHaveLength(2);
    expect(store.reconnectReasons.get("conn-1")).toBe("refresh_token_dead");
  });

  it("service accounts use client_credentials with the TenantId; revoked consent → needs reconnect", async () => {
    const store = new InMemoryTokenStore();
    store.put(expiredRow(null, { tenantId: "1234", accessToken: null, accessTokenExpiresAt: null }));
    const m = createTokenManager({ store, oauth: oauth(), now: () => T0 });
    const tok = await m.getValidAccessToken("conn-1");
    expect(fake.tokenCalls.at(-1)).toMatchObject({ grantType: "client_credentials", tenantId: "1234" });
    expect((await store.read("conn-1"))!).toMatchObject({ accessToken: tok, refreshToken: null });

    fake.revokedService = true;
    store.put(expiredRow(null, { tenantId: "1234" }));
    await expect(m.getValidAccessToken("conn-1")).rejects.toBeInstanceOf(ConnectionNeedsReconnectError);
    expect(store.reconnectReasons.get("conn-1")).toBe("service_account_revoked");
    fake.revokedService = false;
  });

  it("401 from the API → forceRefresh once → the request succeeds with the new token", async () => {
    fake.live.add("rt-E");
    const store = new InMemoryTokenStore();
    // Looks valid locally, but Fortnox rejects it (e.g. revoked): only a 401 tells us.
    store.put(expiredRow("rt-E", { accessToken: "rejected", accessTokenExpiresAt: T0 + 3_000_000 }));
    const m = createTokenManager({ store, oauth: oauth(), now: () => T0 });
    const api = await startServer((req, res) =>
      req.headers.authorization === "Bearer rejected" ? sendJson(res, 401, { message: "unauthorized" }) : sendJson(res, 200, { ok: true }),
    );
    try {
      const client = createFortnoxClient({
        apiUrl: `${api.url}/3`,
        limiter: new SlidingWindowLimiter(),
        ...clientAuthFor(m, "conn-1"),
      });
      const results = await Promise.all([client.getJson("/me", {}, z.unknown()), client.getJson("/me", {}, z.unknown())]);
      expect(results).toEqual([{ ok: true }, { ok: true }]);
      expect(fake.tokenCalls).toHaveLength(1); // both 401s coalesced into one refresh
    } finally {
      await api.close();
    }
  });
});

describe("refreshIfUnchanged (keep-alive)", () => {
  it("refreshes a still-valid token when the refresh token is the one seen, skips when someone rotated it", async () => {
    fake.live.add("rt-K");
    const store = new InMemoryTokenStore();
    store.put(expiredRow("rt-K", { accessTokenExpiresAt: T0 + 3_000_000 }));
    const m = createTokenManager({ store, oauth: oauth(), now: () => T0 });
    expect(await m.refreshIfUnchanged("conn-1", "rt-K")).toBe(true);
    expect(fake.tokenCalls).toHaveLength(1);
    // A second keep-alive that read the row before the first one ran: the token changed, nothing to do.
    expect(await m.refreshIfUnchanged("conn-1", "rt-K")).toBe(false);
    expect(fake.tokenCalls).toHaveLength(1);
    expect((await store.read("conn-1"))!.refreshToken).not.toBe("rt-K");
  });
});

// Type-level check that the in-memory store satisfies the DB-facing interface.
const _typecheck: TokenStore = new InMemoryTokenStore();
void _typecheck;
