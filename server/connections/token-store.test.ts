// The database token store against the sandbox over real HTTP, on PGlite and PostgreSQL: one refresh for many
// concurrent callers, a crash between Fortnox's answer and our commit, dead refresh tokens, keep-alive.

import { spawn } from "node:child_process";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import type { Db, DbHandle } from "@/db/client";
import { activityLog, fortnoxConnections } from "@/db/schema";
import { dbTargets } from "@/server/testing/db";
import { firmWithData } from "@/server/testing/fixtures";
import { ConnectionNeedsReconnectError, createTokenManager, type LockedTokenWriter, type StoredTokens } from "@/server/fortnox/token-manager";
import { fortnoxApiForClient, keepAliveConnections } from "./index";
import { DbTokenStore, tokenAad } from "./token-store";
import { connectDirectly, DEMO_ORG_NR, oauthRoundTrip, startTestbed, type Testbed } from "./testing";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

for (const target of dbTargets()) {
  describe(`database token store (${target.name})`, () => {
    let h: DbHandle;
    let bed: Testbed;

    beforeAll(async () => {
      h = await target.open();
      bed = await startTestbed();
    });
    afterAll(async () => {
      await bed?.close();
      await h?.close();
    });
    beforeEach(() => {
      bed.offline = false;
      bed.sandbox.sandbox.control.setClockOffset(0);
    });

    let n = 0;
    /** A firm whose client is connected to the demo company. */
    async function connected() {
      const f = await firmWithData(h.db, `ts-${target.name}-${++n}`, DEMO_ORG_NR);
      await connectDirectly(h.db, bed, { userId: f.user.id, clientId: f.client.id });
      const [row] = await h.db.select().from(fortnoxConnections).where(eq(fortnoxConnections.clientId, f.client.id));
      return { f, row };
    }
    const rowOf = async (id: string) => (await h.db.select().from(fortnoxConnections).where(eq(fortnoxConnections.id, id)))[0];
    const plain = (row: typeof fortnoxConnections.$inferSelect, field: "access" | "refresh") =>
      bed.runtime.cipher.decrypt((field === "access" ? row.accessTokenEnc : row.refreshTokenEnc)!, tokenAad(row.id, field));
    const refreshes = () => bed.sandbox.sandbox.state.counters.tokenGrants.refresh_token;
    /** Our copy says the access token has expired; at the sandbox it has too (its clock moves past the hour). */
    async function expire(id: string) {
      await h.db.update(fortnoxConnections).set({ accessTokenExpiresAt: new Date(Date.now() - 1000) }).where(eq(fortnoxConnections.id, id));
      bed.sandbox.sandbox.control.advanceClock(3700);
    }
    /** Runs crash-refresh.child.ts against this test's database and the sandbox; resolves with its exit code. */
    async function crashInChildProcess(connectionId: string): Promise<number | null> {
      const rows = (await h.db.execute(sql`select current_database() as db`)) as unknown as { db: string }[];
      const url = new URL(process.env.DATABASE_URL!);
      url.pathname = `/${rows[0].db}`;
      const child = spawn(process.execPath, ["--import", "tsx", "server/connections/crash-refresh.child.ts"], {
        cwd: process.cwd(),
        env: { ...process.env, DATABASE_URL: url.toString(), CRASH_KEY: bed.env.TOKEN_ENCRYPTION_KEY, CRASH_OAUTH_URL: bed.runtime.config.oauthUrl, CRASH_CONNECTION_ID: connectionId },
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
      if (code !== 3) throw new Error(`crash child exited ${code}: ${stderr}`);
      return code;
    }
    const works = async (token: string) => (await fetch(`${bed.runtime.config.apiUrl}/companyinformation`, { headers: { authorization: `Bearer ${token}` } })).status;
    /** A token manager as a separate process would have one: its own store and its own in-process coalescing. */
    const processManager = (db: Db = h.db) => createTokenManager({ store: new DbTokenStore(db, { cipher: bed.runtime.cipher }), oauth: bed.runtime.oauth });

    it("20 concurrent callers (as 20 processes) after expiry: exactly one refresh at Fortnox, all get the same valid token", async () => {
      const { row } = await connected();
      await expire(row.id);
      const before = refreshes();
      const oldRefresh = plain(row, "refresh");
      const tokens = await Promise.all(Array.from({ length: 20 }, () => processManager().getValidAccessToken(row.id)));
      expect(refreshes() - before).toBe(1);
      expect(new Set(tokens).size).toBe(1);
      expect(tokens[0]).not.toBe(plain(row, "access"));
      expect(await works(tokens[0])).toBe(200);
      // The old access token is dead at Fortnox, so every caller really needed the new one.
      expect(await works(plain(row, "access"))).toBe(401);
      const after = await rowOf(row.id);
      expect(after.status).toBe("connected");
      expect(plain(after, "refresh")).not.toBe(oldRefresh);
      expect(plain(after, "access")).toBe(tokens[0]);
      expect(after.lastRefreshedAt!.getTime()).toBeGreaterThan(row.lastRefreshedAt!.getTime());
    });

    it("20 concurrent callers in one process share one locked refresh too", async () => {
      const { f, row } = await connected();
      await expire(row.id);
      const before = refreshes();
      const results = await Promise.all(
        Array.from({ length: 20 }, async () => (await fortnoxApiForClient(h.db, f.firm.id, f.client.id, { runtime: bed.runtime })).api.getCompanyInformation()),
      );
      expect(refreshes() - before).toBe(1);
      expect(results.every((r) => r.companyName === "Demo Konsult AB")).toBe(true);
    });

    it("a crash between Fortnox's answer and our commit: nothing half-written, no token handed out, then needs reconnect", async () => {
      const { f, row } = await connected();
      await expire(row.id);
      const before = refreshes();
      // The process dies right after Fortnox rotated the token, before its transaction commits.
      if (target.name === "postgres") {
        // For real: a separate Node process holding the row lock exits; PostgreSQL sees the connection go.
        const code = await crashInChildProcess(row.id);
        expect(code).toBe(3);
      } else {
        // PGlite lives inside this process; the closest is a transaction that never commits.
        class CrashingStore extends DbTokenStore {
          override withLock<T>(id: string, fn: (r: StoredTokens, tx: LockedTokenWriter) => Promise<T>): Promise<T> {
            return super.withLock(id, (r, tx) => fn(r, { ...tx, save: async () => Promise.reject(new Error("simulated crash after Fortnox answered")) }));
          }
        }
        const crashing = createTokenManager({ store: new CrashingStore(h.db, { cipher: bed.runtime.cipher }), oauth: bed.runtime.oauth });
        await expect(crashing.getValidAccessToken(row.id)).rejects.toThrow("simulated crash");
      }
      expect(refreshes() - before).toBe(1); // Fortnox did rotate: the stored refresh token is now spent
      // Nothing half-written: the row is exactly as before the refresh (old ciphertexts, still "connected").
      const unchanged = await rowOf(row.id);
      expect(unchanged.refreshTokenEnc).toBe(row.refreshTokenEnc);
      expect(unchanged.status).toBe("connected");

      // The lock was released with the transaction; the next caller (any process) finds the refresh token dead.
      await expect(processManager().getValidAccessToken(row.id)).rejects.toBeInstanceOf(ConnectionNeedsReconnectError);
      const dead = await rowOf(row.id);
      expect(dead).toMatchObject({ status: "needs_reconnect", accessTokenEnc: null, refreshTokenEnc: null, lastErrorKey: "fortnoxNeedsReconnect" });
      const log = await h.db.select().from(activityLog).where(eq(activityLog.clientId, f.client.id));
      expect(log.find((e) => e.action === "fortnox.refreshFailed")).toMatchObject({ outcome: "failure", details: { reason: "refresh_token_dead" } });
      // Import and export are told, in the user's language, what to do.
      await expect(fortnoxApiForClient(h.db, f.firm.id, f.client.id, { runtime: bed.runtime })).rejects.toMatchObject({ code: "PRECONDITION_FAILED", key: "fortnoxNeedsReconnect" });
      const view = await f.caller.connection.get({ clientId: f.client.id });
      expect(view.action).toBe("reconnect");
      await expect(f.caller.project.overview({ projectId: f.project.id })).resolves.toMatchObject({ connection: "needs_reconnect" });

      // Anslut igen heals it, on the same row (same id, so the limiter and the ciphertext binding stay).
      const again = await oauthRoundTrip(h.db, bed, { userId: f.user.id, clientId: f.client.id });
      expect(again.location.searchParams.get("fortnox")).toBe("connected");
      const healed = await rowOf(row.id);
      expect(healed.status).toBe("connected");
      const log2 = await h.db.select().from(activityLog).where(eq(activityLog.clientId, f.client.id));
      expect(log2.map((e) => e.action)).toContain("fortnox.reconnected");
    });

    it("a refresh token revoked at Fortnox mid-job: the job gets the translated needs-reconnect error", async () => {
      const { f, row } = await connected();
      const { api } = await fortnoxApiForClient(h.db, f.firm.id, f.client.id, { runtime: bed.runtime });
      expect((await api.getCompanyInformation()).companyName).toBe("Demo Konsult AB");
      await bed.runtime.oauth.revoke(plain(row, "refresh"));
      await expire(row.id);
      await expect(api.getCompanyInformation()).rejects.toMatchObject({ code: "PRECONDITION_FAILED", key: "fortnoxNeedsReconnect" });
      expect((await rowOf(row.id)).status).toBe("needs_reconnect");
    });

    it("a ciphertext copied to another row does not decrypt there: the connection needs a reconnect instead", async () => {
      const one = await connected();
      const two = await connected();
      await h.db
        .update(fortnoxConnections)
        .set({ refreshTokenEnc: one.row.refreshTokenEnc, accessTokenEnc: one.row.accessTokenEnc, accessTokenExpiresAt: new Date(Date.now() - 1000) })
        .where(eq(fortnoxConnections.id, two.row.id));
      const before = refreshes();
      await expect(processManager().getValidAccessToken(two.row.id)).rejects.toBeInstanceOf(ConnectionNeedsReconnectError);
      expect(refreshes()).toBe(before);
      expect((await rowOf(two.row.id)).status).toBe("needs_reconnect");
    });

    describe("keep-alive", () => {
      it("refreshes connections whose refresh token expires within 7 days, and only those", async () => {
        const due = await connected();
        const fresh = await connected();
        const now = new Date();
        await h.db.update(fortnoxConnections).set({ refreshTokenExpiresAt: new Date(now.getTime() + 6 * DAY) }).where(eq(fortnoxConnections.id, due.row.id));
        await h.db.update(fortnoxConnections).set({ refreshTokenExpiresAt: new Date(now.getTime() + 8 * DAY) }).where(eq(fortnoxConnections.id, fresh.row.id));
        const before = refreshes();
        const result = await keepAliveConnections(h.db, now, bed.runtime);
        expect(result.refreshed).toContain(due.row.id);
        expect(result.refreshed).not.toContain(fresh.row.id);
        expect(refreshes() - before).toBe(result.refreshed.length);
        const after = await rowOf(due.row.id);
        expect(after.refreshTokenExpiresAt!.getTime() - now.getTime()).toBeGreaterThan(30 * DAY);
        expect(plain(after, "refresh")).not.toBe(plain(due.row, "refresh"));
        expect(plain(await rowOf(fresh.row.id), "refresh")).toBe(plain(fresh.row, "refresh"));
        const log = await h.db.select().from(activityLog).where(eq(activityLog.clientId, due.f.client.id));
        expect(log.find((e) => e.action === "fortnox.keepAlive")).toMatchObject({ outcome: "success", userId: null });
        // Nothing is due any more.
        const second = await keepAliveConnections(h.db, now, bed.runtime);
        expect(second.refreshed).not.toContain(due.row.id);
      });

      it("two instances running it at once refresh each connection once", async () => {
        const due = await connected();
        const now = new Date();
        await h.db.update(fortnoxConnections).set({ refreshTokenExpiresAt: new Date(now.getTime() + DAY) }).where(eq(fortnoxConnections.id, due.row.id));
        const before = refreshes();
        // Two runtimes = two processes, each with its own token manager.
        const { createConnectionRuntime } = await import("./runtime");
        const other = createConnectionRuntime({ config: bed.runtime.config, cipher: bed.runtime.cipher });
        const [r1, r2] = await Promise.all([keepAliveConnections(h.db, now, bed.runtime), keepAliveConnections(h.db, now, other)]);
        expect(refreshes() - before).toBe(1);
        expect([...r1.refreshed, ...r2.refreshed].filter((id) => id === due.row.id)).toHaveLength(1);
        expect([...r1.skipped, ...r2.skipped]).toContain(due.row.id);
      });

      it("Fortnox unreachable: the old refresh token is kept and the next run succeeds; a dead one → needs reconnect", async () => {
        const flaky = await connected();
        const dead = await connected();
        const now = new Date();
        for (const c of [flaky, dead]) {
          await h.db.update(fortnoxConnections).set({ refreshTokenExpiresAt: new Date(now.getTime() + DAY) }).where(eq(fortnoxConnections.id, c.row.id));
        }
        await bed.runtime.oauth.revoke(plain(dead.row, "refresh"));
        bed.offline = true;
        const down = await keepAliveConnections(h.db, now, bed.runtime);
        bed.offline = false;
        expect(down.failed).toContain(flaky.row.id);
        const kept = await rowOf(flaky.row.id);
        expect(kept).toMatchObject({ status: "connected", lastErrorKey: "fortnoxUnreachable" });
        expect(plain(kept, "refresh")).toBe(plain(flaky.row, "refresh"));

        const up = await keepAliveConnections(h.db, now, bed.runtime);
        expect(up.refreshed).toContain(flaky.row.id);
        expect(up.needsReconnect).toContain(dead.row.id);
        expect(await rowOf(flaky.row.id)).toMatchObject({ status: "connected", lastErrorKey: null });
        expect((await rowOf(dead.row.id)).status).toBe("needs_reconnect");
        const log = await h.db.select().from(activityLog).where(eq(activityLog.clientId, flaky.f.client.id));
        expect(log.filter((e) => e.action === "fortnox.keepAlive").map((e) => e.outcome).sort()).toEqual(["failure", "success"]);
      });
    });

    it("fortnoxApiForClient: another firm's client is not found, an unconnected one says so", async () => {
      const { f } = await connected();
      const other = await firmWithData(h.db, `ts-other-${target.name}`, "2120000142");
      await expect(fortnoxApiForClient(h.db, other.firm.id, f.client.id, { runtime: bed.runtime })).rejects.toMatchObject({ code: "NOT_FOUND", key: "clientNotFound" });
      await expect(fortnoxApiForClient(h.db, other.firm.id, other.client.id, { runtime: bed.runtime })).rejects.toMatchObject({ code: "PRECONDITION_FAILED", key: "fortnoxNotConnected" });
    });
  });
}
