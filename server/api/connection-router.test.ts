// The connection router through createCaller: the attempt cookie, the views, and refusals with translated messages.

import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { DbHandle } from "@/db/client";
import { fortnoxConnectAttempts, fortnoxConnections } from "@/db/schema";
import { dbTargets } from "@/server/testing/db";
import { firmWithData } from "@/server/testing/fixtures";
import { createCaller } from "./root";
import { connectDirectly, connectionCaller, DEMO_ORG_NR, startTestbed, type Testbed } from "@/server/connections/testing";

for (const target of dbTargets()) {
  describe(`connection router (${target.name})`, () => {
    let h: DbHandle;
    let bed: Testbed;
    let a: Awaited<ReturnType<typeof firmWithData>>;

    beforeAll(async () => {
      h = await target.open();
      bed = await startTestbed();
      a = await firmWithData(h.db, `router-${target.name}`, DEMO_ORG_NR);
    });
    afterAll(async () => {
      await bed?.close();
      await h?.close();
    });

    it("startConnect records a single-use attempt and sets an httpOnly cookie for the callback only", async () => {
      const { caller, resHeaders } = connectionCaller(h.db, bed, a.user.id);
      const res = await caller.connection.startConnect({ clientId: a.client.id });
      // The base scopes only: inbox and connectfile wait for an export with attachments.
      expect(res.authorizationParams).toEqual({ scope: "bookkeeping companyinformation invoice payment supplierinvoice settings" });
      const [cookie] = resHeaders.getSetCookie();
      expect(cookie).toMatch(/^sb-fortnox-attempt=[A-Za-z0-9_-]{40,};/);
      expect(cookie).toContain("HttpOnly");
      expect(cookie).toContain("SameSite=Lax");
      expect(cookie).toContain("Path=/api/auth/callback/fortnox");
      expect(cookie).toContain("Max-Age=900");
      const token = /^sb-fortnox-attempt=([^;]+)/.exec(cookie)![1];
      const [row] = await h.db.select().from(fortnoxConnectAttempts).where(eq(fortnoxConnectAttempts.tokenHash, createHash("sha256").update(token).digest("hex")));
      expect(row).toMatchObject({ firmId: a.firm.id, clientId: a.client.id, userId: a.user.id, kind: "user", usedAt: null });
      expect(row.expiresAt.getTime() - Date.now()).toBeGreaterThan(14 * 60_000);

      const service = await caller.connection.startConnect({ clientId: a.client.id, kind: "service" });
      expect(service.authorizationParams).toEqual({ scope: "bookkeeping companyinformation invoice payment supplierinvoice settings", account_type: "service" });
    });

    it("get and overview: not connected, then connected, with the action each needs and the sandbox flag", async () => {
      const { caller } = connectionCaller(h.db, bed, a.user.id);
      const before = await caller.connection.get({ clientId: a.client.id });
      expect(before).toMatchObject({ connection: null, action: "connect", sandbox: true, client: { id: a.client.id } });
      const overview0 = await caller.connection.overview();
      expect(overview0.clients).toEqual([expect.objectContaining({ clientId: a.client.id, status: null, action: "connect", lastImportAt: null, lastExportAt: null })]);

      await connectDirectly(h.db, bed, { userId: a.user.id, clientId: a.client.id });
      const after = await caller.connection.get({ clientId: a.client.id });
      expect(after.action).toBe("none");
      expect(after.connection).toMatchObject({ status: "connected", kind: "user", tenantId: "1234567", companyName: "Demo Konsult AB", orgNr: DEMO_ORG_NR, orgNrMatches: true });
      expect(after.connection!.validUntil!.getTime()).toBeGreaterThan(Date.now() + 30 * 86_400_000);
      // No token, encrypted or not, ever leaves the server through the API.
      expect(JSON.stringify(after)).not.toMatch(/v1:[A-Za-z0-9+/=]+:/);
      for (const t of bed.issued) expect(JSON.stringify(after)).not.toContain(t);
      const overview1 = await caller.connection.overview();
      expect(overview1.clients[0]).toMatchObject({ status: "connected", companyName: "Demo Konsult AB", action: "none" });

      await h.db.update(fortnoxConnections).set({ status: "needs_reconnect" }).where(eq(fortnoxConnections.clientId, a.client.id));
      expect((await caller.connection.overview()).clients[0]).toMatchObject({ status: "needs_reconnect", action: "reconnect", validUntil: null });
      await h.db.update(fortnoxConnections).set({ status: "connected" }).where(eq(fortnoxConnections.clientId, a.client.id));
    });

    it("confirm and cancel without a pending connection are refused with a translated message, nothing changes", async () => {
      const before = await h.db.select().from(fortnoxConnections).where(eq(fortnoxConnections.clientId, a.client.id));
      const sv = connectionCaller(h.db, bed, a.user.id).caller;
      const en = createCaller({ db: h.db, userId: a.user.id, locale: "en", fortnox: bed.runtime });
      await expect(sv.connection.confirm({ clientId: a.client.id })).rejects.toMatchObject({ code: "CONFLICT", message: "Det finns ingen koppling som väntar på bekräftelse." });
      await expect(en.connection.cancel({ clientId: a.client.id })).rejects.toMatchObject({ code: "CONFLICT", message: "There is no connection awaiting confirmation." });
      expect(await h.db.select().from(fortnoxConnections).where(eq(fortnoxConnections.clientId, a.client.id))).toEqual(before);
    });

    it("disconnect, then disconnect again: the second is refused with its message", async () => {
      const { caller } = connectionCaller(h.db, bed, a.user.id);
      await expect(caller.connection.disconnect({ clientId: a.client.id })).resolves.toMatchObject({ ok: true, revoked: true });
      await expect(caller.connection.disconnect({ clientId: a.client.id })).rejects.toMatchObject({
        code: "CONFLICT",
        message: "Klienten är inte kopplad till Fortnox. Anslut den på klientens Fortnox-sida.",
      });
    });

    it("bad input is refused before anything runs", async () => {
      const { caller } = connectionCaller(h.db, bed, a.user.id);
      await expect(caller.connection.get({ clientId: "not-a-uuid" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
      await expect(caller.connection.startConnect({ clientId: a.client.id, kind: "admin" as never })).rejects.toMatchObject({ code: "BAD_REQUEST" });
      await expect(caller.connection.get({ clientId: "00000000-0000-4000-8000-000000000000" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    });
  });
}
