import { describe, expect, it } from "vitest";
import { safeCallbackUrl } from "@/app/_components/safe-redirect";
import { fortnoxConfigFromEnv } from "@/server/connections/config";
import { loadEnv } from "@/server/env";
import { runNextAuth } from "./next-auth-http";
import { buildAuthOptions } from "./options";
import { sameOriginPath } from "./safe-redirect";

const ORIGIN = "https://bokslut.example.se";

describe("redirect targets taken from input", () => {
  it("same-origin paths pass, with their query and fragment", () => {
    expect(sameOriginPath("/clients", ORIGIN)).toBe("/clients");
    expect(sameOriginPath("/invite/abc_DEF-123", ORIGIN)).toBe("/invite/abc_DEF-123");
    expect(sameOriginPath("/projects/1?tab=a%2Fb#top", ORIGIN)).toBe("/projects/1?tab=a%2Fb#top");
    expect(sameOriginPath("https://bokslut.example.se/clients?x=1", ORIGIN)).toBe("/clients?x=1");
    expect(sameOriginPath("/", ORIGIN)).toBe("/");
  });

  const hostile = [
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r/evil.example",
    "\t//evil.example",
    " //evil.example",
    "/\u0000/evil.example",
    "/\u007f/evil.example",
    "/\u0085/evil.example",
    "/\u009b/evil.example",
    "/%09/evil.example",
    "/%0a/evil.example",
    "/%0D/evil.example",
    "/%2F/evil.example",
    "/%2f%2fevil.example",
    "%2F%2Fevil.example",
    "/%5Cevil.example",
    "/%5cevil.example",
    "/%252F%252Fevil.example",
    "/%E0%A4%A", // malformed escape
    "/.//evil.example",
    "/%2e%2e//evil.example",
    "/a/..//evil.example",
    "/a/%2e%2e/%2fevil.example",
    "https://evil.example/",
    "http://bokslut.example.se/clients", // another scheme is another origin
    "https://bokslut.example.se.evil.example/",
    "https://bokslut.example.se@evil.example/",
    "javascript:alert(1)",
    "data:text/html,x",
    "clients",
    "",
    "/x".repeat(2000),
  ];
  for (const v of hostile) {
    it(`refuses ${JSON.stringify(v.slice(0, 40))}`, () => {
      expect(sameOriginPath(v, ORIGIN)).toBeNull();
    });
  }

  it("the sign-in pages fall back to / for anything refused (arrays too)", () => {
    expect(safeCallbackUrl("/\t/evil.example")).toBe("/");
    expect(safeCallbackUrl(["/clients", "//evil.example"])).toBe("/clients");
    expect(safeCallbackUrl(undefined, "/start")).toBe("/start");
    expect(safeCallbackUrl("/connections/fortnox")).toBe("/connections/fortnox");
  });
});

describe("NextAuth's callbackUrl", () => {
  const e = loadEnv({ NODE_ENV: "test", NEXTAUTH_SECRET: "s".repeat(43), TOKEN_ENCRYPTION_KEY: "k".repeat(44), NEXTAUTH_URL: "http://localhost:3000" } as NodeJS.ProcessEnv);
  const options = buildAuthOptions(e, fortnoxConfigFromEnv(e, {} as NodeJS.ProcessEnv));

  it("goes through the same check", async () => {
    const redirect = options.callbacks!.redirect!;
    expect(await redirect({ url: "/clients", baseUrl: "http://localhost:3000" })).toBe("http://localhost:3000/clients");
    expect(await redirect({ url: "http://localhost:3000/clients", baseUrl: "http://localhost:3000" })).toBe("http://localhost:3000/clients");
    expect(await redirect({ url: "/\t/evil.example", baseUrl: "http://localhost:3000" })).toBe("http://localhost:3000/");
    expect(await redirect({ url: "https://evil.example/", baseUrl: "http://localhost:3000" })).toBe("http://localhost:3000/");
  });

  it("a crafted callbackUrl never reaches NextAuth's callback-url cookie", async () => {
    process.env.NEXTAUTH_URL = "http://localhost:3000";
    const res = await runNextAuth(new Request("http://localhost:3000/api/auth/csrf?callbackUrl=%2F%09%2Fevil.example"), ["csrf"], options);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("next-auth.callback-url="));
    expect(decodeURIComponent(cookie!.split(";")[0].split("=")[1])).toBe("http://localhost:3000/");
  });
});
