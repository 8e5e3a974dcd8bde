import { afterEach, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { proxy } from "../proxy";
import type { NextConfig } from "next";
// @ts-expect-error next.config.mjs is plain JavaScript without types
import config from "../next.config.mjs";

const nextConfig = config as NextConfig;

// Every app page carries a Content-Security-Policy (a fresh nonce for Next's own scripts, nothing inline
// otherwise) and, in production, Strict-Transport-Security. Chromium checks that pages still work: e2e/hardening.spec.ts.

const directives = (csp: string) => Object.fromEntries(csp.split(";").map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([k, ...v]) => [k, v]));

describe("security headers", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it("a page gets a CSP with a fresh nonce that Next.js reads from the request", () => {
    const res = proxy(new NextRequest("http://localhost:3000/clients"));
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toBeTruthy();
    const d = directives(csp);
    const nonce = d["script-src"].find((s: string) => s.startsWith("'nonce-"));
    expect(nonce).toMatch(/^'nonce-[A-Za-z0-9+/=]{16,}'$/);
    expect(d["script-src"]).toContain("'strict-dynamic'");
    expect(d["script-src"]).not.toContain("'unsafe-inline'");
    expect(d["object-src"]).toEqual(["'none'"]);
    expect(d["frame-ancestors"]).toEqual(["'none'"]);
    expect(d["base-uri"]).toEqual(["'self'"]);
    expect(d["form-action"]).toEqual(["'self'"]);
    // Next.js takes the nonce from the request's CSP header and puts it on its scripts.
    expect(res.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
    const again = proxy(new NextRequest("http://localhost:3000/clients")).headers.get("content-security-policy")!;
    expect(directives(again)["script-src"]).not.toContain(nonce);
  });

  it("upgrade-insecure-requests only where the app is served over https", () => {
    process.env.NEXTAUTH_URL = "https://bokslut.example.se";
    expect(proxy(new NextRequest("http://internal:3000/clients")).headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
    process.env.NEXTAUTH_URL = "http://127.0.0.1:3302";
    expect(proxy(new NextRequest("http://127.0.0.1:3302/clients")).headers.get("content-security-policy")).not.toContain("upgrade-insecure-requests");
  });

  it("HSTS in production only, on every path", async () => {
    const hsts = async (nodeEnv: "production" | "development") => {
      process.env = { ...process.env, NODE_ENV: nodeEnv };
      const rules = await nextConfig.headers!();
      return rules.find((r) => r.source === "/:path*")?.headers.find((h) => h.key === "Strict-Transport-Security")?.value;
    };
    expect(await hsts("production")).toMatch(/^max-age=\d{8,}; includeSubDomains$/);
    expect(await hsts("development")).toBeUndefined();
  });
});
