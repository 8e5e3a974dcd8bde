import { afterEach, describe, expect, it, vi } from "vitest";

// The environment is checked when the server starts (instrumentation.ts register), not on the first request.

describe("server start", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    vi.restoreAllMocks();
  });

  it("a production start that would run the sandbox stops at register() and says why", async () => {
    process.env = { ...saved, NODE_ENV: "production", NEXT_RUNTIME: "nodejs", NEXTAUTH_SECRET: "x".repeat(40), TOKEN_ENCRYPTION_KEY: "k".repeat(44), DATABASE_URL: "postgres://h/db", NEXTAUTH_URL: "https://bokslut.example.se" };
    delete process.env.FORTNOX_CLIENT_ID;
    delete process.env.ALLOW_SANDBOX_IN_PRODUCTION_INSECURE;
    const exit = vi.spyOn(process, "exit").mockImplementation(() => undefined as never);
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const { register } = await import("../instrumentation");
    await register();
    expect(exit).toHaveBeenCalledWith(1);
    expect(error.mock.calls.flat().join(" ")).toMatch(/Refusing to start.*FORTNOX_CLIENT_ID.*ALLOW_SANDBOX_IN_PRODUCTION_INSECURE=1/s);
    // Nothing else was started: no job worker, no timers.
    expect((globalThis as Record<symbol, unknown>)[Symbol.for("skatt-bokslut.fortnox-keep-alive")]).toBeUndefined();
    expect((globalThis as Record<symbol, unknown>)[Symbol.for("skatt-bokslut.maintenance")]).toBeUndefined();
  });
});
