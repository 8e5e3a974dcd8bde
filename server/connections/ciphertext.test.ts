// The database holds ciphertext only: after connecting, refreshing, keeping alive, failing and confirming, a dump of
// every table and everything written to the console and to stdout/stderr contain none of the tokens Fortnox issued.

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { eq, sql } from "drizzle-orm";
import type { DbHandle } from "@/db/client";
import { fortnoxConnections } from "@/db/schema";
import { dbTargets } from "@/server/testing/db";
import { firmWithData } from "@/server/testing/fixtures";
import { withCheckDigit } from "@/lib/org-nr";
import { fortnoxApiForClient, keepAliveConnections } from "./index";
import { ATTEMPT_COOKIE } from "./connect";
import { DEMO_ORG_NR, oauthRoundTrip, OTHER_TENANT, startTestbed, type Testbed } from "./testing";

const rowsOf = (r: unknown) => ((r as { rows?: unknown[] }).rows ?? r) as Record<string, unknown>[];

/** Every row of every table, as text (JSON per row). */
async function dumpDatabase(h: DbHandle): Promise<string> {
  const tables = rowsOf(
    await h.db.execute(sql`select table_schema, table_name from information_schema.tables where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`),
  );
  expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(["fortnox_connections", "fortnox_connect_attempts", "activity_log"]));
  let out = "";
  for (const t of tables) {
    const rows = rowsOf(await h.db.execute(sql.raw(`select row_to_json(t)::text as j from "${t.table_schema}"."${t.table_name}" t`)));
    out += `\n# ${t.table_schema}.${t.table_name}\n${rows.map((r) => r.j).join("\n")}`;
  }
  return out;
}

/** The token itself, and for a JWT also its signature alone (a partial leak is a leak). */
function needles(token: string): string[] {
  const parts = token.split(".");
  return parts.length === 3 ? [token, parts[2]] : [token];
}

for (const target of dbTargets()) {
  describe(`tokens at rest and in logs (${target.name})`, () => {
    let h: DbHandle;
    let bed: Testbed;
    let captured = "";
    const restore: (() => void)[] = [];

    beforeAll(async () => {
      h = await target.open();
      bed = await startTestbed();
      // Everything this process prints from here on.
      const capture = (...args: unknown[]) => {
        captured += `${args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : typeof a === "string" ? a : JSON.stringify(a))).join(" ")}\n`;
      };
      for (const level of ["log", "info", "warn", "error", "debug"] as const) {
        const spy = vi.spyOn(console, level).mockImplementation(capture);
        restore.push(() => spy.mockRestore());
      }
      for (const stream of [process.stdout, process.stderr]) {
        const orig = stream.write.bind(stream);
        stream.write = ((chunk: unknown, ...rest: unknown[]) => {
          captured += String(chunk);
          return (orig as (...a: unknown[]) => boolean)(chunk, ...rest);
        }) as typeof stream.write;
        restore.push(() => (stream.write = orig));
      }
    });
    afterAll(async () => {
      for (const r of restore) r();
      await bed?.close();
      await h?.close();
    });

    it("no token value in any table, nor in anything logged", async () => {
      const f = await firmWithData(h.db, `cipher-${target.name}`, DEMO_ORG_NR);
      let attemptToken = "";
      // Connect (code exchange), then use the API.
      const rt = await oauthRoundTrip(h.db, bed, { userId: f.user.id, clientId: f.client.id, beforeCallback: (b) => void (attemptToken = b.jar.get(ATTEMPT_COOKIE)!) });
      expect(rt.location.searchParams.get("fortnox")).toBe("connected");
      const { api } = await fortnoxApiForClient(h.db, f.firm.id, f.client.id, { runtime: bed.runtime });
      await api.getCompanyInformation();
      // A refresh (expired access token) and a keep-alive refresh.
      const [row] = await h.db.select().from(fortnoxConnections).where(eq(fortnoxConnections.clientId, f.client.id));
      await h.db.update(fortnoxConnections).set({ accessTokenExpiresAt: new Date(Date.now() - 1000) }).where(eq(fortnoxConnections.id, row.id));
      await api.getCompanyInformation();
      await h.db.update(fortnoxConnections).set({ refreshTokenExpiresAt: new Date(Date.now() + 86_400_000) }).where(eq(fortnoxConnections.id, row.id));
      expect((await keepAliveConnections(h.db, new Date(), bed.runtime)).refreshed).toContain(row.id);
      // A mismatch kept pending, a service account, and failures that make NextAuth and us log.
      const second = await f.caller.client.create({ name: "Andra AB", orgNr: withCheckDigit("556200000") });
      expect((await oauthRoundTrip(h.db, bed, { userId: f.user.id, clientId: second.id, tenantId: OTHER_TENANT })).location.searchParams.get("fortnox")).toBe("pending_confirmation");
      const third = await f.caller.client.create({ name: "Tredje AB", orgNr: withCheckDigit("556300000") });
      await oauthRoundTrip(h.db, bed, { userId: f.user.id, clientId: third.id, kind: "service", tenantId: 3_456_789 });
      await f.caller.connection.confirm({ clientId: third.id });
      const stale = await oauthRoundTrip(h.db, bed, { userId: f.user.id, clientId: third.id, beforeCallback: () => bed.sandbox.sandbox.control.advanceClock(700) });
      bed.sandbox.sandbox.control.setClockOffset(0);
      expect(stale.location.searchParams.get("error")).toBe("fortnoxCodeInvalid");
      // A tampered row: decryption fails and is logged (without the value).
      await h.db.update(fortnoxConnections).set({ accessTokenEnc: row.accessTokenEnc, accessTokenExpiresAt: new Date(Date.now() - 1000) }).where(eq(fortnoxConnections.clientId, third.id));
      await fortnoxApiForClient(h.db, f.firm.id, third.id, { runtime: bed.runtime }).then(({ api: a }) => a.getCompanyInformation()).catch(() => null);

      // Fortnox issued tokens of every kind, and the logs captured something (the search below is not vacuous).
      expect(bed.issued.size).toBeGreaterThanOrEqual(8);
      expect(captured).toContain("[next-auth] OAUTH_CALLBACK_ERROR");
      expect(captured).toContain("cannot be decrypted");

      const dump = await dumpDatabase(h);
      expect(dump).toMatch(/"refresh_token_enc":"v1:[^"]+"/); // the dump does include the stored ciphertexts
      const leaks: string[] = [];
      for (const token of bed.issued) {
        for (const needle of needles(token)) {
          if (dump.includes(needle)) leaks.push(`database: …${needle.slice(-6)}`);
          if (captured.includes(needle)) leaks.push(`logs: …${needle.slice(-6)}`);
        }
      }
      // Nor the secret of the connect attempt (only its hash is stored).
      expect(attemptToken.length).toBeGreaterThan(20);
      if (dump.includes(attemptToken)) leaks.push("database: attempt token");
      expect(leaks).toEqual([]);
    });
  });
}
