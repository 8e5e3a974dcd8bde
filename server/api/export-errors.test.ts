// Fortnox failing during the export's pre-checks (export.prepare: the series, then the checks) reaches the user as
// one translated message with where they can fix it, not as "internal": over the tRPC route, against the sandbox
// over real HTTP with its faults.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { connectDirectly, DEMO_ORG_NR, DEMO_TENANT, startTestbed, type Testbed } from "@/server/connections/testing";
import { translator } from "@/server/i18n/messages";
import { SANDBOX_MODULES } from "@/server/sandbox/api/scopes";
import { control } from "@/server/sandbox/testing/helpers";
import { dbTargets } from "@/server/testing/db";
import { firmWithData } from "@/server/testing/fixtures";
import { createTrpcHttpHandler } from "./http-handler";

// The mapping does not depend on the database, and the 5xx case waits out the client's real backoff (~15–30 s):
// one target is enough (PostgreSQL when DATABASE_URL is set).
const target = dbTargets().at(-1)!;
const sv = translator("sv", "errors");

describe(`Fortnox errors in export.prepare (${target.name})`, () => {
  let h: DbHandle;
  let bed: Testbed;
  let f: Awaited<ReturnType<typeof firmWithData>>;

  beforeAll(async () => {
    h = await target.open();
    bed = await startTestbed();
    f = await firmWithData(h.db, "prepare-errors", DEMO_ORG_NR);
    await connectDirectly(h.db, bed, { userId: f.user.id, clientId: f.client.id });
  });
  afterAll(async () => {
    await bed?.close();
    await h?.close();
  });
  beforeEach(async () => {
    await control(bed.sandbox.url, "faults", { tenantId: DEMO_TENANT, clear: true });
    await control(bed.sandbox.url, `tenants/${DEMO_TENANT}`, { modules: [...SANDBOX_MODULES] });
    await control(bed.sandbox.url, "options", { retryAfterHeader: false });
  });

  /** The dialog's first call (the series), as the browser sends it: a GET on the tRPC route. */
  async function prepare() {
    const handler = createTrpcHttpHandler(async (_req, resHeaders) => ({ db: h.db, userId: f.user.id, locale: "sv", resHeaders, fortnox: bed.runtime }));
    const input = encodeURIComponent(JSON.stringify({ json: { projectId: f.project.id, adjustmentIds: [], series: null } }));
    const res = await handler(new Request(`http://localhost:3000/api/trpc/export.prepare?input=${input}`));
    const body = (await res.json()) as { result?: unknown; error?: { json: { message: string; data: Record<string, unknown> } } };
    return { status: res.status, body };
  }

  it("works without a fault (the connection is good)", async () => {
    const { status, body } = await prepare();
    expect(status).toBe(200);
    expect(body.result).toBeDefined();
  });

  it("a missing licence (2001101) is the licence message, fixed in the customer's Fortnox subscription", async () => {
    await control(bed.sandbox.url, `tenants/${DEMO_TENANT}`, { modules: SANDBOX_MODULES.filter((m) => m !== "bookkeeping") });
    const { status, body } = await prepare();
    expect(status).toBe(412);
    expect(body.error?.json.message).toBe(sv("fortnox.error.no_licence_for_scope" as never));
    expect(body.error?.json.data).toMatchObject({ code: "PRECONDITION_FAILED", messageKey: "fortnox.error.no_licence_for_scope", fix: "fortnoxLicence" });
  });

  it("a 429 storm longer than the client's retries is 'too many calls, wait', to retry", async () => {
    // Retry-After 1 s keeps the client's five repeats short; the storm outlasts them.
    await control(bed.sandbox.url, "options", { retryAfterHeader: true });
    await control(bed.sandbox.url, "faults", { tenantId: DEMO_TENANT, storm429: 20 });
    const { status, body } = await prepare();
    expect(status).toBe(503);
    expect(body.error?.json.message).toBe(sv("fortnox.error.rate_limited" as never));
    expect(body.error?.json.data).toMatchObject({ code: "SERVICE_UNAVAILABLE", messageKey: "fortnox.error.rate_limited", fix: "retry" });
  });

  it("Fortnox answering 503 to every repeat is 'Fortnox has trouble right now', to retry", async () => {
    await control(bed.sandbox.url, "faults", { tenantId: DEMO_TENANT, errorRate: 1, errorStatus: 503 });
    const { status, body } = await prepare();
    expect(status).toBe(503);
    expect(body.error?.json.message).toBe(sv("fortnox.error.server_error" as never));
    expect(body.error?.json.data).toMatchObject({ code: "SERVICE_UNAVAILABLE", messageKey: "fortnox.error.server_error", fix: "retry" });
  }, 60_000);
});
