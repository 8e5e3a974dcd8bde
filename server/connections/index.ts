// The public face of Fortnox connections for the rest of the product (import, export, jobs).
//
//   const { api, client, connection } = await fortnoxApiForClient(db, firmId, clientId);
//   const years = await api.listFinancialYears();
//
// Everything behind it (token refresh under a database lock, rotation, encryption, the per-connection rate limiter)
// is handled here; callers never see a token.

import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { fortnoxConnections } from "@/db/schema";
import { DomainError } from "@/server/errors";
import { getClient } from "@/server/firms/clients";
import { createFortnoxClient, type FortnoxClient, type FortnoxClientHooks, type FortnoxCounters } from "@/server/fortnox/http";
import { createFortnoxApi, type FortnoxApi } from "@/server/fortnox/resources";
import { clientAuthFor, ConnectionNeedsReconnectError } from "@/server/fortnox/token-manager";
import { fortnoxDomainError } from "./errors";
import { defaultConnectionRuntime, type ConnectionRuntime } from "./runtime";

export { fortnoxDomainError, fortnoxErrorKey } from "./errors";
export { keepAliveConnections } from "./keep-alive";
export { createConnectionRuntime, defaultConnectionRuntime, type ConnectionRuntime } from "./runtime";
export { fortnoxConfigFromEnv, type FortnoxConfig } from "./config";

/** What a caller may know about the connection it is using: no tokens. */
export interface ConnectionInfo {
  id: string;
  firmId: string;
  clientId: string;
  kind: "user" | "service";
  /** Fortnox's DatabaseNumber. */
  tenantId: string;
  companyName: string;
  /** Digits only, as Fortnox has it. */
  orgNr: string;
  /** What Fortnox granted (empty for connections stored before we kept it: unknown). */
  scopes: string[];
}

export interface FortnoxApiForClientOptions {
  /** Defaults to the process-wide runtime built from env. Tests pass their own. */
  runtime?: ConnectionRuntime;
  /** Passed to the HTTP client: progress reporting, counters for job summaries. */
  hooks?: FortnoxClientHooks;
  counters?: FortnoxCounters;
  /** Per-attempt timeout of API calls (default 30 s; SIE streams use it as the idle timeout once bytes flow). */
  timeoutMs?: number;
}

/**
 * A ready Fortnox API for a client of a firm.
 *
 * - `api`: the typed resources (server/fortnox/resources.ts); `client`: the raw HTTP client (getJson, getStream…).
 * - Tokens: fetched through the connection's token manager on every request, refreshed when needed inside a
 *   database lock shared by all processes; a 401 forces one refresh and a single retry.
 * - Rate limit: one sliding-window limiter per connection id in this process.
 *
 * Throws a DomainError (translated by the tRPC error middleware; use fortnoxDomainError(err) in jobs) when:
 * `clientNotFound` (NOT_FOUND: not this firm's client), `fortnoxNotConnected`, `fortnoxPendingConfirmation`,
 * `fortnoxNeedsReconnect`/`fortnoxServiceRevoked` or the stored error key (PRECONDITION_FAILED). During requests,
 * a refresh token found dead becomes `fortnoxNeedsReconnect` (the connection is marked and the activity log written);
 * other Fortnox failures surface as the typed errors of server/fortnox/errors.ts — map them with fortnoxDomainError.
 */
export async function fortnoxApiForClient(
  db: Db,
  firmId: string,
  clientId: string,
  options: FortnoxApiForClientOptions = {},
): Promise<{ api: FortnoxApi; client: FortnoxClient; connection: ConnectionInfo }> {
  await getClient(db, firmId, clientId);
  const [row] = await db
    .select()
    .from(fortnoxConnections)
    .where(and(eq(fortnoxConnections.clientId, clientId), eq(fortnoxConnections.firmId, firmId)));
  if (!row) throw new DomainError("PRECONDITION_FAILED", "fortnoxNotConnected");
  if (row.status === "pending_confirmation") throw new DomainError("PRECONDITION_FAILED", "fortnoxPendingConfirmation");
  if (row.status === "needs_reconnect") throw new DomainError("PRECONDITION_FAILED", row.lastErrorKey ?? "fortnoxNeedsReconnect");
  if (row.status === "error") throw new DomainError("PRECONDITION_FAILED", row.lastErrorKey ?? "fortnoxConnectionError");

  const runtime = options.runtime ?? defaultConnectionRuntime();
  const auth = clientAuthFor(runtime.tokenManager(db), row.id);
  // A connection that dies mid-job reads as the same translated error as one found dead up front.
  const translated = (get: () => Promise<string>) => async () => {
    try {
      return await get();
    } catch (err) {
      if (err instanceof ConnectionNeedsReconnectError) throw fortnoxDomainError(err);
      throw err;
    }
  };
  const client = createFortnoxClient({
    apiUrl: runtime.config.apiUrl,
    limiterKey: auth.limiterKey,
    getAccessToken: translated(auth.getAccessToken),
    onUnauthorized: translated(auth.onUnauthorized),
    fetch: runtime.fetch,
    hooks: options.hooks,
    counters: options.counters,
    timeoutMs: options.timeoutMs,
    streamFirstByteTimeoutMs: runtime.config.sieFirstByteTimeoutMs,
  });
  return {
    api: createFortnoxApi(client),
    client,
    connection: {
      id: row.id,
      firmId: row.firmId,
      clientId: row.clientId,
      kind: row.kind,
      tenantId: row.tenantId ?? "",
      companyName: row.companyName ?? "",
      orgNr: row.orgNr ?? "",
      scopes: row.scopes,
    },
  };
}

/** The scopes the client's connection was granted ([] when not connected or not known). */
export async function grantedScopes(db: Db, firmId: string, clientId: string): Promise<string[]> {
  const [row] = await db
    .select({ scopes: fortnoxConnections.scopes })
    .from(fortnoxConnections)
    .where(and(eq(fortnoxConnections.clientId, clientId), eq(fortnoxConnections.firmId, firmId)));
  return row?.scopes ?? [];
}

/**
 * For import and export: remember that a connection failed in a way only a person can fix (missing licence or
 * scope), so the connection pages say so. Transient failures (network, 5xx) should not be recorded here.
 */
export async function recordConnectionProblem(db: Db, connectionId: string, errorKey: string): Promise<void> {
  await db.update(fortnoxConnections).set({ lastErrorKey: errorKey, updatedAt: new Date() }).where(eq(fortnoxConnections.id, connectionId));
}
