import { describe, expect, it } from "vitest";
import { isSandboxMode, loadEnv, mountedSandboxClient } from "./env";

describe("environment", () => {
  it("production refuses to start without its secrets and names them", () => {
    expect(() => loadEnv({ NODE_ENV: "production" } as NodeJS.ProcessEnv)).toThrow(/NEXTAUTH_SECRET, TOKEN_ENCRYPTION_KEY, DATABASE_URL/);
    expect(() => loadEnv({ NODE_ENV: "production", NEXTAUTH_SECRET: "x".repeat(40), DATABASE_URL: "postgres://h/db" } as NodeJS.ProcessEnv)).toThrow(
      /TOKEN_ENCRYPTION_KEY/,
    );
  });

  it("production starts with them set", () => {
    const e = loadEnv({
      NODE_ENV: "production", NEXTAUTH_SECRET: "x".repeat(40), TOKEN_ENCRYPTION_KEY: "k".repeat(44), DATABASE_URL: "postgres://h/db",
      NEXTAUTH_URL: "https://bokslut.example.se", FORTNOX_CLIENT_ID: "id", FORTNOX_CLIENT_SECRET: "secret",
    } as NodeJS.ProcessEnv);
    expect(e.DATABASE_URL).toBe("postgres://h/db");
  });

  it("rejects a malformed value with the variable's name", () => {
    expect(() =>
      loadEnv({
        NODE_ENV: "production", NEXTAUTH_SECRET: "x".repeat(40), TOKEN_ENCRYPTION_KEY: "k".repeat(44), DATABASE_URL: "not a url",
        NEXTAUTH_URL: "https://bokslut.example.se", FORTNOX_CLIENT_ID: "id", FORTNOX_CLIENT_SECRET: "secret",
      } as NodeJS.ProcessEnv),
    ).toThrow(/DATABASE_URL/);
  });

  it("refuses a Fortnox client id without its secret; without either the app runs against the sandbox", () => {
    const base = { NODE_ENV: "test", NEXTAUTH_SECRET: "x".repeat(40), TOKEN_ENCRYPTION_KEY: "k".repeat(44) };
    expect(() => loadEnv({ ...base, FORTNOX_CLIENT_ID: "abc" } as NodeJS.ProcessEnv)).toThrow(/FORTNOX_CLIENT_SECRET/);
    expect(isSandboxMode(loadEnv(base as NodeJS.ProcessEnv))).toBe(true);
    expect(isSandboxMode(loadEnv({ ...base, FORTNOX_CLIENT_ID: "abc", FORTNOX_CLIENT_SECRET: "def" } as NodeJS.ProcessEnv))).toBe(false);
  });

  it("development without NEXTAUTH_URL uses the local port, so OAuth redirects and the sandbox work", () => {
    const base = { NODE_ENV: "development", NEXTAUTH_SECRET: "x".repeat(40), TOKEN_ENCRYPTION_KEY: "k".repeat(44) };
    expect(loadEnv(base as NodeJS.ProcessEnv).NEXTAUTH_URL).toBe("http://localhost:3000");
    expect(loadEnv({ ...base, PORT: "3500" } as NodeJS.ProcessEnv).NEXTAUTH_URL).toBe("http://localhost:3500");
    // Production never guesses its own URL.
    expect(() => loadEnv({ ...base, NODE_ENV: "production", DATABASE_URL: "postgres://h/db" } as NodeJS.ProcessEnv)).toThrow(/NEXTAUTH_URL/);
  });
});

describe("production start", () => {
  const secrets = { NODE_ENV: "production", NEXTAUTH_SECRET: "x".repeat(40), TOKEN_ENCRYPTION_KEY: "k".repeat(44), DATABASE_URL: "postgres://h/db" };
  const fortnox = { FORTNOX_CLIENT_ID: "id", FORTNOX_CLIENT_SECRET: "secret" };
  const load = (extra: Record<string, string>) => () => loadEnv({ ...secrets, ...extra } as NodeJS.ProcessEnv);

  it("refuses the built-in sandbox unless the danger is named, and says why", () => {
    expect(load({ NEXTAUTH_URL: "https://bokslut.example.se" })).toThrow(/sandbox.*ALLOW_SANDBOX_IN_PRODUCTION_INSECURE=1/s);
    expect(load({ NEXTAUTH_URL: "https://bokslut.example.se", ALLOW_SANDBOX_IN_PRODUCTION_INSECURE: "1" })).not.toThrow();
    expect(load({ NEXTAUTH_URL: "https://bokslut.example.se", ...fortnox })).not.toThrow();
  });

  it("requires NEXTAUTH_URL, and https", () => {
    expect(load(fortnox)).toThrow(/NEXTAUTH_URL/);
    expect(load({ ...fortnox, NEXTAUTH_URL: "http://bokslut.example.se" })).toThrow(/NEXTAUTH_URL must be https/);
    // The explicit variable allows plain http on the loopback interface only (a production build tested locally).
    expect(load({ ...fortnox, NEXTAUTH_URL: "http://127.0.0.1:3302" })).toThrow(/ALLOW_HTTP_LOOPBACK_INSECURE/);
    expect(load({ ...fortnox, NEXTAUTH_URL: "http://127.0.0.1:3302", ALLOW_HTTP_LOOPBACK_INSECURE: "1" })).not.toThrow();
    expect(load({ ...fortnox, NEXTAUTH_URL: "http://localhost:3000", ALLOW_HTTP_LOOPBACK_INSECURE: "1" })).not.toThrow();
    expect(load({ ...fortnox, NEXTAUTH_URL: "http://bokslut.example.se", ALLOW_HTTP_LOOPBACK_INSECURE: "1" })).toThrow(/NEXTAUTH_URL must be https/);
    expect(load({ ...fortnox, NEXTAUTH_URL: "http://127.0.0.1.example.se", ALLOW_HTTP_LOOPBACK_INSECURE: "1" })).toThrow(/NEXTAUTH_URL must be https/);
  });

  it("outside production plain http anywhere is fine", () => {
    const dev = { NODE_ENV: "development", NEXTAUTH_SECRET: "x".repeat(40), TOKEN_ENCRYPTION_KEY: "k".repeat(44) };
    expect(loadEnv({ ...dev, NEXTAUTH_URL: "http://192.168.1.5:3000" } as NodeJS.ProcessEnv).NEXTAUTH_URL).toBe("http://192.168.1.5:3000");
  });

  it("the mounted sandbox's client secret is derived from the installation's secret, never the published one", () => {
    const a = loadEnv({ ...secrets, NEXTAUTH_URL: "https://a.example.se", ALLOW_SANDBOX_IN_PRODUCTION_INSECURE: "1" } as NodeJS.ProcessEnv);
    const b = loadEnv({ ...secrets, NEXTAUTH_SECRET: "y".repeat(40), NEXTAUTH_URL: "https://a.example.se", ALLOW_SANDBOX_IN_PRODUCTION_INSECURE: "1" } as NodeJS.ProcessEnv);
    const ca = mountedSandboxClient(a, {});
    expect(ca.clientId).toBe("sandbox-client");
    expect(ca.clientSecret).not.toBe("sandbox-secret");
    expect(ca.clientSecret.length).toBeGreaterThanOrEqual(40);
    expect(mountedSandboxClient(a, {}).clientSecret).toBe(ca.clientSecret); // stable across restarts and instances
    expect(mountedSandboxClient(b, {}).clientSecret).not.toBe(ca.clientSecret); // another installation, another secret
    expect(mountedSandboxClient(a, { SANDBOX_CLIENT_SECRET: "chosen" }).clientSecret).toBe("chosen");
  });
});
