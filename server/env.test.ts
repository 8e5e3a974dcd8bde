import { describe, expect, it } from "vitest";
import { isSandboxMode, loadEnv } from "./env";

describe("environment", () => {
  it("production refuses to start without its secrets and names them", () => {
    expect(() => loadEnv({ NODE_ENV: "production" } as NodeJS.ProcessEnv)).toThrow(/NEXTAUTH_SECRET, TOKEN_ENCRYPTION_KEY, DATABASE_URL/);
    expect(() => loadEnv({ NODE_ENV: "production", NEXTAUTH_SECRET: "x".repeat(40), DATABASE_URL: "postgres://h/db" } as NodeJS.ProcessEnv)).toThrow(
      /TOKEN_ENCRYPTION_KEY/,
    );
  });

  it("production starts with them set", () => {
    const e = loadEnv({ NODE_ENV: "production", NEXTAUTH_SECRET: "x".repeat(40), TOKEN_ENCRYPTION_KEY: "k".repeat(44), DATABASE_URL: "postgres://h/db" } as NodeJS.ProcessEnv);
    expect(e.DATABASE_URL).toBe("postgres://h/db");
  });

  it("rejects a malformed value with the variable's name", () => {
    expect(() =>
      loadEnv({ NODE_ENV: "production", NEXTAUTH_SECRET: "x".repeat(40), TOKEN_ENCRYPTION_KEY: "k".repeat(44), DATABASE_URL: "not a url" } as NodeJS.ProcessEnv),
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
    expect(loadEnv({ ...base, NODE_ENV: "production", DATABASE_URL: "postgres://h/db" } as NodeJS.ProcessEnv).NEXTAUTH_URL).toBeUndefined();
  });
});
