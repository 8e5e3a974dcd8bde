import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { Db, DbHandle } from "@/db/client";
import { fortnoxConnections } from "@/db/schema";
import sv from "@/messages/sv.json";
import en from "@/messages/en.json";
import { uploadAttachment } from "@/server/closing/attachments";
import { FORTNOX_BASE_SCOPES, FORTNOX_REGISTERED_SCOPES } from "@/server/fortnox/scopes";
import { dbTargets } from "@/server/testing/db";
import { pdfBytes } from "@/server/testing/files";
import { firmWithData } from "@/server/testing/fixtures";
import { DEMO_ORG_NR, demoSieBytes, importSie, useSieImports } from "@/server/testing/ledger";
import { connectionCaller, DEMO_TENANT, oauthRoundTrip, startTestbed, type Testbed } from "./testing";

// Scopes through the whole connect flow (NextAuth, our callback, the sandbox's app registration over HTTP): the
// normal connect asks only the base set; an export with attachments asks for inbox + connectfile in a second
// consent and comes back to the export; a registration that lacks a scope is explained as the app's configuration.

async function* once(bytes: Uint8Array) {
  yield bytes;
}

const BASE = [...FORTNOX_BASE_SCOPES];
const WITH_FILES = [...FORTNOX_REGISTERED_SCOPES];

describe.each(dbTargets())("scopes asked at Fortnox on $name", (target) => {
  let handle: DbHandle;
  let db: Db;
  let bed: Testbed;
  let n = 0;

  beforeAll(async () => {
    handle = await target.open();
    db = handle.db;
    bed = await startTestbed({ sandbox: { currentYear: 2026, tenants: [{ tenantId: DEMO_TENANT, lockedThrough: null }] } });
    useSieImports();
  });
  afterAll(async () => {
    await bed?.close();
    await handle?.close();
  });

  const scopesOf = async (clientId: string) => (await db.select().from(fortnoxConnections).where(eq(fortnoxConnections.clientId, clientId)))[0]?.scopes;

  async function projectWithAttachment() {
    const f = await firmWithData(db, `scopes-${++n}`, DEMO_ORG_NR);
    const ref = { firmId: f.firm.id, projectId: f.project.id, userId: f.user.id };
    await importSie(db, ref, demoSieBytes({ year: 2025 }));
    const { caller } = connectionCaller(db, bed, f.user.id);
    const adj = await caller.adjustment.create({
      projectId: f.project.id,
      voucher: { date: "2025-12-31", text: "Upplupen revisionskostnad", rows: [{ account: "6420", amountOre: 1_500_000 }, { account: "2990", amountOre: -1_500_000 }] },
    });
    const plain = await caller.adjustment.create({
      projectId: f.project.id,
      voucher: { date: "2025-12-31", text: "Bankavgift", rows: [{ account: "6570", amountOre: 10_000 }, { account: "1930", amountOre: -10_000 }] },
    });
    await uploadAttachment(db, ref, { adjustmentId: adj.id }, "revisionsoffert.pdf", once(pdfBytes("Offert")));
    return { f, caller, adj: adj.id, plain: plain.id };
  }

  it("a normal connect asks the base scopes only; an export with attachments asks for the rest and comes back to the export", async () => {
    const { f, caller, adj, plain } = await projectWithAttachment();
    const first = await oauthRoundTrip(db, bed, { userId: f.user.id, clientId: f.client.id });
    expect(first.location.searchParams.get("fortnox")).toBe("connected");
    expect(await scopesOf(f.client.id)).toEqual(BASE);

    // Without files the export needs nothing more; with the PDF the dialog says which permission is missing.
    const series = "B";
    const noFiles = await caller.export.prepare({ projectId: f.project.id, adjustmentIds: [plain], series });
    expect(noFiles).toMatchObject({ missingScopes: [], lockedPeriodUnknown: false, connectionKind: "user" });
    const withFiles = await caller.export.prepare({ projectId: f.project.id, adjustmentIds: [adj, plain], series });
    expect(withFiles.missingScopes).toEqual(["inbox", "connectfile"]);
    expect(withFiles.vouchers.flatMap((v) => v.problems)).toEqual([]);
    // Sending anyway is refused before anything is queued.
    await expect(caller.export.start({ projectId: f.project.id, adjustmentIds: [adj], series })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    expect((await caller.export.state({ projectId: f.project.id })).job).toBeNull();

    // "Ge den extra behörigheten": a second consent with the extended set, back on the adjustments page.
    const extra = await oauthRoundTrip(db, bed, { userId: f.user.id, clientId: f.client.id, purpose: "attachments", projectId: f.project.id });
    expect(extra.location.pathname).toBe(`/projects/${f.project.id}/adjustments`);
    expect(extra.location.searchParams.get("fortnox")).toBe("connected");
    expect(await scopesOf(f.client.id)).toEqual(WITH_FILES);
    expect((await caller.export.prepare({ projectId: f.project.id, adjustmentIds: [adj], series })).missingScopes).toEqual([]);

    // A later reconnect (e.g. after the connection expired) keeps the permission instead of dropping it.
    const again = await oauthRoundTrip(db, bed, { userId: f.user.id, clientId: f.client.id });
    expect(again.location.searchParams.get("fortnox")).toBe("connected");
    expect(await scopesOf(f.client.id)).toEqual(WITH_FILES);

    // Another firm's project cannot be named as the place to return to.
    const other = await firmWithData(db, `scopes-other-${n}`, DEMO_ORG_NR);
    const { caller: mine } = connectionCaller(db, bed, f.user.id);
    await expect(mine.connection.startConnect({ clientId: f.client.id, purpose: "attachments", projectId: other.project.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("a registration without a scope we ask for: refused before login, explained as the app's configuration, nothing stored", async () => {
    const narrow = await startTestbed({ sandbox: { currentYear: 2026, clients: [{ clientId: "sandbox-client", clientSecret: "sandbox-secret", scopes: BASE }] } });
    try {
      const { f, adj } = await projectWithAttachment();
      // The base set is registered: the connect works.
      expect((await oauthRoundTrip(db, narrow, { userId: f.user.id, clientId: f.client.id })).location.searchParams.get("fortnox")).toBe("connected");
      const before = await scopesOf(f.client.id);
      // The attachment consent asks for inbox + connectfile, which the registration lacks.
      const rt = await oauthRoundTrip(db, narrow, { userId: f.user.id, clientId: f.client.id, purpose: "attachments", projectId: f.project.id });
      expect(rt.callback.searchParams.get("error")).toBe("invalid_scope");
      expect(narrow.sandbox.sandbox.state.counters.invalidScope).toBe(1);
      expect(narrow.sandbox.sandbox.state.counters.tokenGrants.authorization_code).toBe(1); // no login, no code
      expect(rt.location.pathname).toBe(`/clients/${f.client.id}/connection`);
      expect(rt.location.searchParams.get("error")).toBe("fortnoxInvalidScope");
      expect(rt.location.searchParams.get("projectId")).toBe(f.project.id);
      // The connection is untouched and still works for everything but the attachments.
      expect(await scopesOf(f.client.id)).toEqual(before);
      const { caller } = connectionCaller(db, narrow, f.user.id);
      expect((await caller.export.prepare({ projectId: f.project.id, adjustmentIds: [adj], series: "B" })).missingScopes).toEqual(["inbox", "connectfile"]);
      expect((await caller.connection.get({ clientId: f.client.id })).connection?.status).toBe("connected");
    } finally {
      await narrow.close();
    }
    // Who must act: the operator, in Fortnox's developer portal — not "Fortnox cancelled".
    expect(sv.errors.fortnoxInvalidScope).toMatch(/utvecklarportal/);
    expect(sv.errors.fortnoxInvalidScope).not.toMatch(/avbröt/);
    expect(en.errors.fortnoxInvalidScope).toMatch(/developer portal/);
    // And a missing module is the customer's Fortnox to fix.
    expect(sv.errors.fortnoxNoLicence).toMatch(/[Kk]undens Fortnox/);
    expect(en.errors.fortnoxNoLicence).toMatch(/customer's Fortnox/);
  });

  it("a locked period the connection may not read: the pre-check is skipped and said so, not a failure", async () => {
    // A Fortnox where the locked period needs a scope we do not ask for (its scope is undocumented).
    const strict = await startTestbed({ sandbox: { currentYear: 2026, endpointScopes: { lockedperiod: ["article"] } } });
    try {
      const { f, adj, plain } = await projectWithAttachment();
      await oauthRoundTrip(db, strict, { userId: f.user.id, clientId: f.client.id, purpose: "attachments" });
      const { caller } = connectionCaller(db, strict, f.user.id);
      const prep = await caller.export.prepare({ projectId: f.project.id, adjustmentIds: [adj, plain], series: "B" });
      expect(prep).toMatchObject({ lockedPeriodUnknown: true, missingScopes: [] });
      expect(prep.vouchers.flatMap((v) => v.problems)).toEqual([]);
    } finally {
      await strict.close();
    }
  });
});
