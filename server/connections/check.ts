// `npm run fortnox:check`: the probe of server/fortnox/probe.ts against one tenant, with the credentials an operator
// has: a connection the app already stores (the usual way), or an access token handed over in the environment.
// A refresh token on the command line is deliberately not offered: Fortnox rotates it on use, so the probe would
// kill the connection it came from (and a token in argv ends up in shell history and `ps`).

import { eq, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { clients, fortnoxConnections } from "@/db/schema";
import type { TokenCipher } from "@/server/fortnox/crypto";
import { createFortnoxClient } from "@/server/fortnox/http";
import { probeFortnox, recordingFetch, type ProbeReport } from "@/server/fortnox/probe";
import type { FortnoxConfig } from "./config";
import { fortnoxApiForClient } from "./index";
import { createConnectionRuntime } from "./runtime";

export class CheckUsageError extends Error {}

export interface CheckOutcome {
  report: ProbeReport;
  /** Where the credentials came from, for the report's head: [label, value]. */
  header: [string, string][];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The one stored connection of a client, chosen by the client's id or organisation number. */
export async function findConnection(db: Db, select: string) {
  const digits = select.replace(/\D/g, "");
  const by = UUID.test(select)
    ? or(eq(clients.id, select), eq(fortnoxConnections.id, select))
    : digits.length === 10 || digits.length === 12
      ? or(eq(clients.orgNr, digits.slice(-10)), eq(fortnoxConnections.orgNr, digits.slice(-10)))
      : null;
  if (!by) throw new CheckUsageError(`"${select}" is neither a client id nor an organisation number`);
  const rows = await db
    .select({ connection: fortnoxConnections, clientName: clients.name, clientOrgNr: clients.orgNr })
    .from(fortnoxConnections)
    .innerJoin(clients, eq(clients.id, fortnoxConnections.clientId))
    .where(by)
    .orderBy(sql`${fortnoxConnections.updatedAt} desc`);
  if (!rows.length) throw new CheckUsageError(`no Fortnox connection for "${select}"`);
  if (rows.length > 1) {
    const list = rows.map((r) => `  ${r.connection.clientId}  ${r.clientName} (${r.clientOrgNr}), firm ${r.connection.firmId}`).join("\n");
    throw new CheckUsageError(`"${select}" matches ${rows.length} connections; pass the client id:\n${list}`);
  }
  return rows[0];
}

/**
 * Probes through a stored connection: tokens are decrypted and, when the access token has expired, refreshed
 * through the app's own token store (under the connection's row lock, the rotated refresh token saved), so the
 * connection stays valid for the app. That refresh, at Fortnox's OAuth endpoint, is the only request that is not a
 * GET to the API.
 */
export async function checkStoredConnection(
  db: Db,
  opts: { config: FortnoxConfig; cipher: TokenCipher; select: string; fetch?: typeof fetch },
): Promise<CheckOutcome> {
  const found = await findConnection(db, opts.select);
  const c = found.connection;
  const rec = recordingFetch(opts.fetch);
  const runtime = createConnectionRuntime({ config: opts.config, cipher: opts.cipher, fetch: rec.fetch });
  const { client } = await fortnoxApiForClient(db, c.firmId, c.clientId, { runtime });
  const report = await probeFortnox(client, rec, { apiUrl: opts.config.apiUrl, storedScopes: c.scopes });
  const refreshes = rec.seen.filter((s) => s.url.startsWith(opts.config.oauthUrl)).length;
  return {
    report,
    header: [
      ["Connection", `${c.id} (${c.kind}), client ${found.clientName} (${found.clientOrgNr}), tenant ${c.tenantId ?? "?"}`],
      ["Token refreshes at Fortnox's OAuth", String(refreshes)],
    ],
  };
}

/** Probes with an access token from the environment (valid one hour; nothing is stored or refreshed). */
export async function checkWithAccessToken(opts: { apiUrl: string; accessToken: string; fetch?: typeof fetch }): Promise<CheckOutcome> {
  const rec = recordingFetch(opts.fetch);
  const client = createFortnoxClient({
    apiUrl: opts.apiUrl,
    getAccessToken: async () => opts.accessToken,
    limiterKey: "fortnox-check",
    fetch: rec.fetch,
  });
  const report = await probeFortnox(client, rec, { apiUrl: opts.apiUrl });
  return { report, header: [["Credentials", "an access token from FORTNOX_ACCESS_TOKEN"]] };
}
