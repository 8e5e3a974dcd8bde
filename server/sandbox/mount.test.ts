import { beforeAll, describe, expect, it } from "vitest";
import { fortnoxConfigFromEnv } from "@/server/connections/config";
import { env } from "@/server/env";
import { handleSandboxRequest } from "./next";
import { REDIRECT } from "./testing/helpers";

// The sandbox as the app mounts it (app/sandbox/fortnox/[...path]): no control API, and a client secret of this
// installation rather than the published default, so its tenants' data is no one else's to read.

const base = "http://app.local/sandbox/fortnox";
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;

async function code(): Promise<string> {
  const form = new URLSearchParams({ client_id: "sandbox-client", redirect_uri: REDIRECT, scope: "bookkeeping", state: "s", response_type: "code", tenant: "1234567", decision: "approve" });
  const consent = await handleSandboxRequest(new Request(`${base}/oauth-v1/auth`, { method: "POST", body: form }));
  return new URL(consent.headers.get("location")!).searchParams.get("code")!;
}

describe("the sandbox mounted in the app", () => {
  beforeAll(() => {
    process.env.NEXTAUTH_SECRET = "m".repeat(43);
    process.env.TOKEN_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString("base64");
    delete process.env.SANDBOX_CLIENT_SECRET;
  });

  it("has no /control: no reset, faults, clock, tenants or state for anyone", async () => {
    for (const [method, path] of [["GET", "state"], ["POST", "reset"], ["POST", "faults"], ["POST", "clock"], ["POST", "tenants/1234567"]]) {
      const res = await handleSandboxRequest(new Request(`${base}/control/${path}`, { method, body: method === "POST" ? "{}" : undefined }));
      expect(res.status, `${method} /control/${path}`).toBe(404);
    }
  });

  it("refuses the published default secret; the app's own (derived) secret works", async () => {
    const published = await handleSandboxRequest(new Request(`${base}/oauth-v1/token`, {
      method: "POST", headers: { authorization: basic("sandbox-client", "sandbox-secret") },
      body: new URLSearchParams({ grant_type: "authorization_code", code: await code(), redirect_uri: REDIRECT }),
    }));
    expect(published.status).toBe(401);
    const service = await handleSandboxRequest(new Request(`${base}/oauth-v1/token`, {
      method: "POST", headers: { authorization: basic("sandbox-client", "sandbox-secret"), tenantid: "2345678" },
      body: new URLSearchParams({ grant_type: "client_credentials" }),
    }));
    expect(service.status).toBe(401);

    const config = fortnoxConfigFromEnv(env());
    expect(config.sandbox).toBe(true);
    expect(config.clientSecret).not.toBe("sandbox-secret");
    const own = await handleSandboxRequest(new Request(`${base}/oauth-v1/token`, {
      method: "POST", headers: { authorization: basic(config.clientId, config.clientSecret) },
      body: new URLSearchParams({ grant_type: "authorization_code", code: await code(), redirect_uri: REDIRECT }),
    }));
    expect(own.status).toBe(200);
  });
});
