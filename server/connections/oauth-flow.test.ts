// Long (~370 lines): every refusal of the OAuth round trip is a case over the same NextAuth handler, sandbox and database.
// The OAuth round trip through NextAuth's real handler, our callback and the sandbox over HTTP: what gets stored, and
// that every refusal (forged or replayed state, another firm's client, a stale or reused code, denied consent…)
// shows its message and stores nothing.

import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import type { DbHandle } from "@/db/client";
import { activityLog, fortnoxConnectAttempts, fortnoxConnections } from "@/db/schema";
import { dbTargets } from "@/server/testing/db";
import { firmWithData } from "@/server/testing/fixtures";
import { withCheckDigit } from "@/lib/org-nr";
import { handleFortnoxCallback } from "@/server/auth/fortnox-callback";
import { fortnoxApiForClient } from "./index";
import { ATTEMPT_COOKIE } from "./connect";
import { browserAs, connectionCaller, DEMO_ORG_NR, DEMO_TENANT, oauthRoundTrip, OTHER_TENANT, startTestbed, type Testbed } from "./testing";

type Firm = Awaited<ReturnType<typeof firmWithData>>;

const rows = (r: unknown) => ((r as { rows?: unknown[] }).rows ?? r) as Record<string, unknown>[];

for (const target of dbTargets()) {
  describe(`Fortnox OAuth round trip (${target.name})`, () => {
    let h: DbHandle;
    let bed: Testbed;
    let a: Firm;
    let b: Firm;
    let n = 0;
    // A fresh client of firm A for refusals (its org nr is not the demo company's, which does not matter there).
    const newClient = async (firm: Firm = a, orgNr?: string) => {
      n++;
      return firm.caller.client.create({ name: `Klient ${n} AB`, orgNr: orgNr ?? withCheckDigit(String(556_100_000 + n)) });
    };
    // A firm whose client is the demo company: connecting it ends "connected" without warnings.
    const demoFirm = async () => firmWithData(h.db, `demo-${++n}`, DEMO_ORG_NR);
    const connectionsOf = async (clientId: string) => h.db.select().from(fortnoxConnections).where(eq(fortnoxConnections.clientId, clientId));
    const allConnections = async () => rows(await h.db.execute(sql`select * from fortnox_connections order by id`));
    const grants = () => ({ ...bed.sandbox.sandbox.state.counters.tokenGrants });

    beforeAll(async () => {
      h = await target.open();
      bed = await startTestbed();
      a = await firmWithData(h.db, "oauth-a", DEMO_ORG_NR);
      b = await firmWithData(h.db, "oauth-b", "2120000142");
    });
    afterAll(async () => {
      await bed?.close();
      await h?.close();
    });
    beforeEach(() => {
      bed.offline = false;
    });

    it("connects: company name and database number stored, tokens only as ciphertext, no new session issued", async () => {
      const before = await a.caller.connection.get({ clientId: a.client.id });
      expect(before.connection).toBeNull();
      expect(before.sandbox).toBe(true);
      const browser = await browserAs(bed, a.user.id);
      const session = browser.jar.get("next-auth.session-token");
      const rt = await oauthRoundTrip(h.db, bed, { userId: a.user.id, clientId: a.client.id }, browser);
      expect(rt.location.pathname).toBe(`/clients/${a.client.id}/connection`);
      expect(rt.location.searchParams.get("fortnox")).toBe("connected");
      // Still signed in as the accountant: the callback set no session cookie, and the attempt cookie is gone.
      expect(browser.jar.get("next-auth.session-token")).toBe(session);
      expect(browser.jar.get(ATTEMPT_COOKIE)).toBeUndefined();

      const [row] = await connectionsOf(a.client.id);
      expect(row).toMatchObject({ status: "connected", kind: "user", tenantId: String(DEMO_TENANT), companyName: "Demo Konsult AB", orgNr: DEMO_ORG_NR, connectedBy: a.user.id });
      expect(row.accessTokenEnc).toMatch(/^v1:/);
      expect(row.refreshTokenEnc).toMatch(/^v1:/);
      for (const t of bed.issued) expect(JSON.stringify(row)).not.toContain(t);
      expect(row.scopes).toContain("bookkeeping");
      expect(row.refreshTokenExpiresAt!.getTime() - Date.now()).toBeGreaterThan(30 * 86_400_000);

      const view = await a.caller.connection.get({ clientId: a.client.id });
      expect(view.connection).toMatchObject({ status: "connected", companyName: "Demo Konsult AB", orgNrMatches: true, connectedByName: "User oauth-a" });
      expect(view.history.map((e) => e.action)).toContain("fortnox.connected");
      // The project's Koppla step follows the connection.
      const overview = await a.caller.project.overview({ projectId: a.project.id });
      expect(overview.steps.find((s) => s.key === "connect")?.state).toBe("done");
      expect(overview.steps.find((s) => s.key === "import")?.state).toBe("todo");

      // And the connection works for import and export.
      const { api, connection } = await fortnoxApiForClient(h.db, a.firm.id, a.client.id, { runtime: bed.runtime });
      expect(connection.companyName).toBe("Demo Konsult AB");
      expect((await api.getCompanyInformation()).databaseNumber).toBe(DEMO_TENANT);
    });

    it("a replayed callback URL is refused: the attempt is used up, nothing changes", async () => {
      const f = await demoFirm();
      let attemptCookie = "";
      let stateCookie = "";
      const rt = await oauthRoundTrip(h.db, bed, {
        userId: f.user.id,
        clientId: f.client.id,
        beforeCallback: (br) => {
          attemptCookie = br.jar.get(ATTEMPT_COOKIE)!;
          stateCookie = br.jar.get("next-auth.state")!;
        },
      });
      expect(rt.location.searchParams.get("fortnox")).toBe("connected");
      const before = await allConnections();
      const grantsBefore = grants();
      const replay = async () => {
        const res = await handleFortnoxCallback(new Request(rt.callback, { headers: { cookie: rt.browser.jar.header() } }), { db: h.db, runtime: bed.runtime, env: bed.env });
        return new URL(res.headers.get("location")!).searchParams.get("error");
      };
      // The same browser opens the same callback again (back button, a second tab): its cookies are gone.
      expect(await replay()).toBe("fortnoxAttemptMissing");
      // Someone who kept every cookie of the first round trip replays it: the attempt is used up.
      rt.browser.jar.set(ATTEMPT_COOKIE, attemptCookie);
      rt.browser.jar.set("next-auth.state", stateCookie);
      expect(await replay()).toBe("fortnoxAttemptUsed");
      expect(await allConnections()).toEqual(before);
      expect(grants()).toEqual(grantsBefore);
    });

    it("a forged state is refused before the code is exchanged, and nothing is stored", async () => {
      const client = await newClient();
      const before = await allConnections();
      const grantsBefore = grants();
      const rt = await oauthRoundTrip(h.db, bed, {
        userId: a.user.id,
        clientId: client.id,
        tamper: (u) => {
          u.searchParams.set("state", randomBytes(16).toString("base64url"));
        },
      });
      expect(rt.location.pathname).toBe(`/clients/${client.id}/connection`);
      expect(rt.location.searchParams.get("error")).toBe("fortnoxStateInvalid");
      expect(await allConnections()).toEqual(before);
      expect(grants().authorization_code).toBe(grantsBefore.authorization_code);
      const [attempt] = await h.db.select().from(fortnoxConnectAttempts).where(eq(fortnoxConnectAttempts.clientId, client.id));
      expect(attempt.outcome).toBe("fortnoxStateInvalid");
      // The message the page shows for it.
      const view = await a.caller.connection.get({ clientId: client.id });
      expect(view.connection).toBeNull();
      expect(view.history[0]).toMatchObject({ action: "fortnox.connectFailed", outcome: "failure" });
    });

    it("a replayed state (an old callback answered into a newer sign-in) is refused", async () => {
      const client = await newClient();
      const first = await oauthRoundTrip(h.db, bed, { userId: a.user.id, clientId: client.id, decision: "deny" });
      expect(first.location.searchParams.get("error")).toBe("fortnoxConsentDenied");
      const before = await allConnections();
      // A new attempt and sign-in, but the old answer (old state, which was already used) comes back.
      const rt = await oauthRoundTrip(h.db, bed, {
        userId: a.user.id,
        clientId: client.id,
        tamper: (u) => {
          u.searchParams.set("state", first.callback.searchParams.get("state")!);
        },
      });
      expect(rt.location.searchParams.get("error")).toBe("fortnoxStateInvalid");
      expect(await allConnections()).toEqual(before);
    });

    it("a stale code (older than 10 minutes) is refused with its message and nothing is stored", async () => {
      const client = await newClient();
      const before = await allConnections();
      const rt = await oauthRoundTrip(h.db, bed, {
        userId: a.user.id,
        clientId: client.id,
        beforeCallback: () => bed.sandbox.sandbox.control.advanceClock(601),
      });
      bed.sandbox.sandbox.control.setClockOffset(0);
      expect(rt.location.searchParams.get("error")).toBe("fortnoxCodeInvalid");
      expect(await allConnections()).toEqual(before);
    });

    it("a reused code is refused with its message and nothing new is stored", async () => {
      const f = await demoFirm();
      const first = await oauthRoundTrip(h.db, bed, { userId: f.user.id, clientId: f.client.id });
      expect(first.location.searchParams.get("fortnox")).toBe("connected");
      const before = await allConnections();
      // A valid new attempt and state, but the code of the first round trip.
      const rt = await oauthRoundTrip(h.db, bed, {
        userId: f.user.id,
        clientId: f.client.id,
        tamper: (u) => {
          u.searchParams.set("code", first.callback.searchParams.get("code")!);
        },
      });
      expect(rt.location.searchParams.get("error")).toBe("fortnoxCodeInvalid");
      expect(await allConnections()).toEqual(before);
    });

    it("a callback for another firm's client is refused and nothing is stored", async () => {
      const before = await allConnections();
      const grantsBefore = grants();
      for (const firmOfAttempt of [a.firm.id, b.firm.id]) {
        // An attempt that names firm A's client, presented by a signed-in member of firm B.
        const token = randomBytes(32).toString("base64url");
        await h.db.insert(fortnoxConnectAttempts).values({
          tokenHash: createHash("sha256").update(token).digest("hex"),
          firmId: firmOfAttempt,
          clientId: a.client.id,
          userId: b.user.id,
          expiresAt: new Date(Date.now() + 600_000),
        });
        const rt = await oauthRoundTrip(h.db, bed, {
          userId: b.user.id,
          clientId: a.client.id,
          noAttempt: true,
          beforeCallback: (br) => br.jar.set(ATTEMPT_COOKIE, token),
        });
        expect(rt.location.searchParams.get("error")).toBe("connectionOtherFirm");
        // Firm A's client id is not revealed in the redirect.
        expect(rt.location.pathname).toBe("/connections");
      }
      expect(await allConnections()).toEqual(before);
      expect(grants().authorization_code).toBe(grantsBefore.authorization_code);
    });

    it("another user's attempt cookie, no attempt, an expired attempt, or no session: refused, nothing stored", async () => {
      const client = await newClient();
      const before = await allConnections();
      // B started nothing for this client; A's attempt cookie in B's browser is refused.
      const stolen = await oauthRoundTrip(h.db, bed, { userId: a.user.id, clientId: client.id, beforeCallback: async (br) => {
        const session = (await browserAs(bed, b.user.id)).jar.get("next-auth.session-token")!;
        br.jar.set("next-auth.session-token", session);
      } });
      expect(stolen.location.searchParams.get("error")).toBe("fortnoxAttemptOtherUser");

      const none = await oauthRoundTrip(h.db, bed, { userId: a.user.id, clientId: client.id, noAttempt: true });
      expect(none.location.searchParams.get("error")).toBe("fortnoxAttemptMissing");

      const expired = await oauthRoundTrip(h.db, bed, {
        userId: a.user.id,
        clientId: client.id,
        beforeCallback: async () => {
          await h.db.update(fortnoxConnectAttempts).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(fortnoxConnectAttempts.clientId, client.id));
        },
      });
      expect(expired.location.searchParams.get("error")).toBe("fortnoxAttemptExpired");

      const signedOut = await oauthRoundTrip(h.db, bed, { userId: a.user.id, clientId: client.id, beforeCallback: (br) => br.jar.delete("next-auth.session-token") });
      expect(signedOut.location.searchParams.get("error")).toBe("fortnoxSignedOut");
      expect(await allConnections()).toEqual(before);
    });

    it("denied consent: the message says so and nothing is stored", async () => {
      const client = await newClient();
      const before = await allConnections();
      const rt = await oauthRoundTrip(h.db, bed, { userId: a.user.id, clientId: client.id, decision: "deny" });
      expect(rt.location.searchParams.get("error")).toBe("fortnoxConsentDenied");
      expect(await allConnections()).toEqual(before);
    });

    it("organisation number mismatch → pending confirmation (unusable) → confirm → connected", async () => {
      const client = await newClient();
      const rt = await oauthRoundTrip(h.db, bed, { userId: a.user.id, clientId: client.id, tenantId: OTHER_TENANT });
      expect(rt.location.searchParams.get("fortnox")).toBe("pending_confirmation");
      const view = await a.caller.connection.get({ clientId: client.id });
      expect(view.connection).toMatchObject({ status: "pending_confirmation", companyName: "Nordisk Bygg & Projekt AB", orgNrMatches: false });
      expect(view.connection!.warnings.orgNrMismatch).toBe(true);
      expect(view.action).toBe("confirm");
      await expect(fortnoxApiForClient(h.db, a.firm.id, client.id, { runtime: bed.runtime })).rejects.toMatchObject({ key: "fortnoxPendingConfirmation" });
      await a.caller.connection.confirm({ clientId: client.id });
      expect((await connectionsOf(client.id))[0].status).toBe("connected");
      const { api } = await fortnoxApiForClient(h.db, a.firm.id, client.id, { runtime: bed.runtime });
      expect((await api.getCompanyInformation()).companyName).toBe("Nordisk Bygg & Projekt AB");
    });

    it("organisation number mismatch → cancel: the grant is revoked at Fortnox and the tokens deleted", async () => {
      const client = await newClient();
      const revocations = bed.sandbox.sandbox.state.counters.revocations;
      const rt = await oauthRoundTrip(h.db, bed, { userId: a.user.id, clientId: client.id, tenantId: OTHER_TENANT });
      expect(rt.location.searchParams.get("fortnox")).toBe("pending_confirmation");
      const refresh = [...bed.issued].at(-1)!;
      const result = await connectionCaller(h.db, bed, a.user.id).caller.connection.cancel({ clientId: client.id });
      expect(result.revoked).toBe(true);
      expect(bed.sandbox.sandbox.state.counters.revocations).toBe(revocations + 1);
      expect(await connectionsOf(client.id)).toEqual([]);
      // The grant is dead at Fortnox.
      await expect(bed.runtime.oauth.refresh(refresh)).rejects.toMatchObject({ kind: "refresh_token_dead" });
    });

    it("the same Fortnox company already connected to another client of the firm → warning", async () => {
      const client = await newClient();
      // a.client is connected to the demo company (first test); this client gets it too.
      const rt = await oauthRoundTrip(h.db, bed, { userId: a.user.id, clientId: client.id, tenantId: DEMO_TENANT });
      expect(rt.location.searchParams.get("fortnox")).toBe("pending_confirmation");
      const view = await a.caller.connection.get({ clientId: client.id });
      expect(view.connection!.warnings.sameCompanyAs).toEqual({ id: a.client.id, name: a.client.name });
    });

    it("missing licence (2001101) and Fortnox unreachable: actionable messages, grant revoked, nothing stored", async () => {
      const client = await newClient();
      const before = await allConnections();
      const all = bed.sandbox.sandbox.state.snapshot().tenants.find((t) => t.tenantId === DEMO_TENANT)!.licences;
      bed.sandbox.sandbox.control.updateTenant(DEMO_TENANT, { licences: all.filter((l) => l !== "companyinformation") });
      const revocations = bed.sandbox.sandbox.state.counters.revocations;
      try {
        const rt = await oauthRoundTrip(h.db, bed, { userId: a.user.id, clientId: client.id });
        expect(rt.location.searchParams.get("error")).toBe("fortnoxNoLicence");
        expect(bed.sandbox.sandbox.state.counters.revocations).toBe(revocations + 1);
      } finally {
        bed.sandbox.sandbox.control.updateTenant(DEMO_TENANT, { licences: all });
      }
      const down = await oauthRoundTrip(h.db, bed, { userId: a.user.id, clientId: client.id, beforeCallback: () => void (bed.offline = true) });
      expect(down.location.searchParams.get("error")).toBe("fortnoxUnreachable");
      expect(await allConnections()).toEqual(before);
      const failures = await h.db.select().from(activityLog).where(eq(activityLog.clientId, client.id));
      expect(failures.map((f) => f.details.error)).toEqual(expect.arrayContaining(["fortnoxNoLicence", "fortnoxUnreachable"]));
    });

    it("missing scope (2000663): the message says to reconnect and approve every permission; nothing stored", async () => {
      // A Fortnox where company information needs a scope the app does not ask for.
      const strict = await startTestbed({ sandbox: { endpointScopes: { companyinformation: ["article"] } } });
      try {
        const client = await newClient();
        const before = await allConnections();
        const rt = await oauthRoundTrip(h.db, strict, { userId: a.user.id, clientId: client.id });
        expect(rt.location.searchParams.get("error")).toBe("fortnoxMissingScope");
        expect(await allConnections()).toEqual(before);
        expect(strict.sandbox.sandbox.state.counters.revocations).toBe(1);
      } finally {
        await strict.close();
      }
    });

    it("a service account: client_credentials with the TenantId, no refresh token kept", async () => {
      const client = await newClient();
      const rt = await oauthRoundTrip(h.db, bed, { userId: a.user.id, clientId: client.id, kind: "service", tenantId: 3_456_789 });
      // Åkesson & Ödman has another org nr: confirm first.
      expect(rt.location.searchParams.get("fortnox")).toBe("pending_confirmation");
      await a.caller.connection.confirm({ clientId: client.id });
      const [row] = await connectionsOf(client.id);
      expect(row).toMatchObject({ kind: "service", tenantId: "3456789", refreshTokenEnc: null, status: "connected" });
      // The access token expires: a new one comes from client_credentials, not from a refresh token.
      await h.db.update(fortnoxConnections).set({ accessTokenExpiresAt: new Date(Date.now() - 1000) }).where(eq(fortnoxConnections.id, row.id));
      const cc = grants().client_credentials;
      const { api } = await fortnoxApiForClient(h.db, a.firm.id, client.id, { runtime: bed.runtime });
      expect((await api.getCompanyInformation()).databaseNumber).toBe(3_456_789);
      expect(grants().client_credentials).toBe(cc + 1);
      const view = await a.caller.connection.get({ clientId: client.id });
      expect(view.connection).toMatchObject({ kind: "service", validUntil: null });
    });

    it("a service account the administrator did not approve is refused", async () => {
      const client = await newClient();
      const before = await allConnections();
      // Asked as a service account, but the consent went out without account_type=service: nothing was approved.
      const rt = await oauthRoundTrip(h.db, bed, { userId: a.user.id, clientId: client.id, kind: "service", tenantId: DEMO_TENANT, signinQuery: "" });
      expect(rt.location.searchParams.get("error")).toBe("fortnoxServiceNotApproved");
      expect(await allConnections()).toEqual(before);
    });

    it("disconnect revokes at Fortnox, deletes the tokens and keeps the client and its projects", async () => {
      const f = await demoFirm();
      await oauthRoundTrip(h.db, bed, { userId: f.user.id, clientId: f.client.id });
      expect((await connectionsOf(f.client.id))[0].status).toBe("connected");
      const revocations = bed.sandbox.sandbox.state.counters.revocations;
      const result = await connectionCaller(h.db, bed, f.user.id).caller.connection.disconnect({ clientId: f.client.id });
      expect(result.revoked).toBe(true);
      expect(bed.sandbox.sandbox.state.counters.revocations).toBe(revocations + 1);
      expect(await connectionsOf(f.client.id)).toEqual([]);
      expect((await f.caller.project.get({ projectId: f.project.id })).project.id).toBe(f.project.id);
      const log = await h.db.select().from(activityLog).where(eq(activityLog.clientId, f.client.id));
      expect(log.map((l) => l.action)).toEqual(expect.arrayContaining(["fortnox.connected", "fortnox.disconnected"]));
      await expect(fortnoxApiForClient(h.db, f.firm.id, f.client.id, { runtime: bed.runtime })).rejects.toMatchObject({ key: "fortnoxNotConnected" });
      const view = await f.caller.connection.get({ clientId: f.client.id });
      expect(view.action).toBe("connect");
    });
  });
}
