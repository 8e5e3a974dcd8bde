import { describe, expect, it } from "vitest";
import { loadEnv, mountedSandboxClient } from "@/server/env";
import { fortnoxConfigFromEnv } from "./config";

const base = { NODE_ENV: "test", NEXTAUTH_SECRET: "x".repeat(40), TOKEN_ENCRYPTION_KEY: "k".repeat(44) } as const;

describe("Fortnox configuration", () => {
  it("sandbox mode: OAuth and API on this app's own /sandbox/fortnox, reached over HTTP", () => {
    const e = loadEnv({ ...base, NEXTAUTH_URL: "http://127.0.0.1:3301/" } as NodeJS.ProcessEnv);
    const c = fortnoxConfigFromEnv(e, {} as NodeJS.ProcessEnv);
    expect(c).toEqual({
      sandbox: true,
      appUrl: "http://127.0.0.1:3301",
      oauthUrl: "http://127.0.0.1:3301/sandbox/fortnox/oauth-v1",
      apiUrl: "http://127.0.0.1:3301/sandbox/fortnox/3",
      clientId: "sandbox-client",
      // This installation's secret, which the mounted sandbox shares (never the published "sandbox-secret").
      clientSecret: mountedSandboxClient(e, {}).clientSecret,
      redirectUri: "http://127.0.0.1:3301/api/auth/callback/fortnox",
      sieFirstByteTimeoutMs: 600_000,
    });
  });

  it("the SIE download's first-byte timeout is configurable (Fortnox builds big years for minutes)", () => {
    const c = fortnoxConfigFromEnv(loadEnv({ ...base, FORTNOX_SIE_FIRST_BYTE_TIMEOUT_SECONDS: "1200" } as NodeJS.ProcessEnv), {} as NodeJS.ProcessEnv);
    expect(c.sieFirstByteTimeoutMs).toBe(1_200_000);
    expect(() => loadEnv({ ...base, FORTNOX_SIE_FIRST_BYTE_TIMEOUT_SECONDS: "0" } as NodeJS.ProcessEnv)).toThrow(/FORTNOX_SIE_FIRST_BYTE_TIMEOUT_SECONDS/);
  });

  it("real Fortnox: Fortnox's URLs by default, the registered redirect URI derived from NEXTAUTH_URL", () => {
    const c = fortnoxConfigFromEnv(
      loadEnv({ ...base, NEXTAUTH_URL: "https://bokslut.example.se", FORTNOX_CLIENT_ID: "id", FORTNOX_CLIENT_SECRET: "secret" } as NodeJS.ProcessEnv),
    );
    expect(c).toMatchObject({
      sandbox: false,
      oauthUrl: "https://apps.fortnox.se/oauth-v1",
      apiUrl: "https://api.fortnox.se/3",
      clientId: "id",
      clientSecret: "secret",
      redirectUri: "https://bokslut.example.se/api/auth/callback/fortnox",
    });
  });
});
