// What the connection screens show, and what the user can do with a connection: confirm or cancel a pending one,
// disconnect. Every function takes the firm as its scope; another firm's client is simply not found.

import { and, asc, desc, eq, like, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { activityLog, clients, fortnoxConnections, users } from "@/db/schema";
import { logActivity } from "@/server/activity/log";
import { getClient } from "@/server/firms/clients";
import { conflict, DomainError } from "@/server/errors";
import { defaultLimiterRegistry } from "@/server/fortnox/limiter";
import { warningDetails } from "./connect";
import type { ConnectionRuntime } from "./runtime";
import { decryptRefreshToken } from "./token-store";

export type ConnectionStatus = (typeof fortnoxConnections.$inferSelect)["status"];
/** What the user should do next for a client. */
export type ConnectionAction = "connect" | "reconnect" | "confirm" | "none";

export function actionFor(status: ConnectionStatus | null): ConnectionAction {
  if (status === null) return "connect";
  if (status === "needs_reconnect" || status === "error") return "reconnect";
  if (status === "pending_confirmation") return "confirm";
  return "none";
}

/** When the connection stops working unless it is used or kept alive; null for service accounts (until revoked). */
function validUntil(row: typeof fortnoxConnections.$inferSelect): Date | null {
  if (row.status !== "connected" && row.status !== "pending_confirmation") return null;
  return row.kind === "service" ? null : row.refreshTokenExpiresAt;
}

export interface ConnectionView {
  id: string;
  status: ConnectionStatus;
  kind: "user" | "service";
  tenantId: string | null;
  companyName: string | null;
  orgNr: string | null;
  orgNrMatches: boolean;
  connectedByName: string | null;
  connectedAt: Date | null;
  lastRefreshedAt: Date | null;
  accessTokenExpiresAt: Date | null;
  validUntil: Date | null;
  scopes: string[];
  lastErrorKey: string | null;
  warnings: { orgNrMismatch: boolean; sameCompanyAs: { id: string; name: string } | null };
}

/** The connection of one client (null when it has none) and its recent history, for the connection page. */
export async function getConnectionView(db: Db, firmId: string, clientId: string) {
  const client = await getClient(db, firmId, clientId);
  const [row] = await db
    .select({ c: fortnoxConnections, connectedByName: users.name })
    .from(fortnoxConnections)
    .leftJoin(users, eq(users.id, fortnoxConnections.connectedBy))
    .where(and(eq(fortnoxConnections.clientId, clientId), eq(fortnoxConnections.firmId, firmId)));
  let connection: ConnectionView | null = null;
  if (row) {
    const c = row.c;
    let sameCompanyAs: { id: string; name: string } | null = null;
    if (c.warnings.sameCompanyAsClientId) {
      const [other] = await db
        .select({ id: clients.id, name: clients.name })
        .from(clients)
        .where(and(eq(clients.id, c.warnings.sameCompanyAsClientId), eq(clients.firmId, firmId)));
      sameCompanyAs = other ?? null;
    }
    connection = {
      id: c.id,
      status: c.status,
      kind: c.kind,
      tenantId: c.tenantId,
      companyName: c.companyName,
      orgNr: c.orgNr,
      orgNrMatches: c.orgNr === client.orgNr,
      connectedByName: row.connectedByName,
      connectedAt: c.connectedAt,
      lastRefreshedAt: c.lastRefreshedAt,
      accessTokenExpiresAt: c.accessTokenExpiresAt,
      validUntil: validUntil(c),
      scopes: c.scopes,
      lastErrorKey: c.lastErrorKey,
      warnings: { orgNrMismatch: Boolean(c.warnings.orgNrMismatch), sameCompanyAs },
    };
  }
  const history = await db
    .select({ id: activityLog.id, action: activityLog.action, outcome: activityLog.outcome, details: activityLog.details, createdAt: activityLog.createdAt, userName: users.name })
    .from(activityLog)
    .leftJoin(users, eq(users.id, activityLog.userId))
    .where(and(eq(activityLog.clientId, clientId), eq(activityLog.firmId, firmId), like(activityLog.action, "fortnox.%")))
    .orderBy(desc(activityLog.createdAt))
    .limit(10);
  return { client, connection, action: actionFor(connection?.status ?? null), history };
}

/** Every client of the firm with its Fortnox state, for the connections overview. */
export async function listConnectionsOverview(db: Db, firmId: string) {
  const rows = await db
    .select({
      client: clients,
      c: fortnoxConnections,
      lastImportAt: sql<string | null>`(select max(i.published_at) from imports i where i.firm_id = ${firmId} and i.status in ('published', 'replaced') and i.source = 'fortnox' and i.project_id in (select p.id from projects p where p.client_id = ${clients.id}))`,
    })
    .from(clients)
    .leftJoin(fortnoxConnections, eq(fortnoxConnections.clientId, clients.id))
    .where(eq(clients.firmId, firmId))
    .orderBy(asc(clients.name));
  return rows.map(({ client, c, lastImportAt }) => ({
    clientId: client.id,
    clientName: client.name,
    clientOrgNr: client.orgNr,
    status: c?.status ?? null,
    kind: c?.kind ?? null,
    companyName: c?.companyName ?? null,
    tenantId: c?.tenantId ?? null,
    validUntil: c ? validUntil(c) : null,
    lastErrorKey: c?.lastErrorKey ?? null,
    lastImportAt: lastImportAt ? new Date(lastImportAt) : null,
    // Filled in once export records its runs.
    lastExportAt: null as Date | null,
    action: actionFor(c?.status ?? null),
  }));
}

async function connectionOf(db: Db, firmId: string, clientId: string) {
  await getClient(db, firmId, clientId);
  const [row] = await db
    .select()
    .from(fortnoxConnections)
    .where(and(eq(fortnoxConnections.clientId, clientId), eq(fortnoxConnections.firmId, firmId)));
  return row ?? null;
}

/** The user accepts a connection whose organisation number differs (or whose company serves another client too). */
export async function confirmConnection(db: Db, firmId: string, clientId: string, userId: string) {
  const row = await connectionOf(db, firmId, clientId);
  if (!row || row.status !== "pending_confirmation") throw conflict("fortnoxNothingToConfirm");
  await db.transaction(async (tx) => {
    const [updated] = await tx
      .update(fortnoxConnections)
      .set({ status: "connected", updatedAt: new Date() })
      .where(and(eq(fortnoxConnections.id, row.id), eq(fortnoxConnections.status, "pending_confirmation")))
      .returning({ id: fortnoxConnections.id });
    if (!updated) throw conflict("fortnoxNothingToConfirm");
    await logActivity(tx, {
      firmId,
      clientId,
      userId,
      action: "fortnox.confirmed",
      outcome: "success",
      details: { company: row.companyName ?? "", databaseNumber: row.tenantId ?? "", ...warningDetails(row.warnings) },
    });
  });
  return { ok: true as const };
}

/**
 * Revokes the grant at Fortnox (best effort: the tokens are deleted here whatever Fortnox answers, so they can never
 * be used again) and removes the connection. Imported data stays: it belongs to the closing projects.
 * Runs under the connection's lock so that a refresh in flight cannot outlive the disconnect with a new token.
 */
async function removeConnection(db: Db, runtime: ConnectionRuntime, connectionId: string): Promise<{ revoked: boolean; row: typeof fortnoxConnections.$inferSelect } | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(fortnoxConnections).where(eq(fortnoxConnections.id, connectionId)).for("update");
    if (!row) return null;
    const refresh = decryptRefreshToken(runtime.cipher, row);
    let revoked = false;
    if (refresh) revoked = await runtime.oauth.revoke(refresh).catch(() => false);
    await tx.delete(fortnoxConnections).where(eq(fortnoxConnections.id, connectionId));
    return { revoked, row };
  });
}

/** Cancel a pending connection (wrong company): the grant is revoked at Fortnox and the tokens deleted. */
export async function cancelPendingConnection(db: Db, runtime: ConnectionRuntime, firmId: string, clientId: string, userId: string) {
  const row = await connectionOf(db, firmId, clientId);
  if (!row || row.status !== "pending_confirmation") throw conflict("fortnoxNothingToConfirm");
  return dropConnection(db, runtime, row, { firmId, clientId, userId }, "fortnox.connectCancelled", "info");
}

/** Koppla bort: revoke at Fortnox, delete the tokens, keep every imported figure. */
export async function disconnect(db: Db, runtime: ConnectionRuntime, firmId: string, clientId: string, userId: string) {
  const row = await connectionOf(db, firmId, clientId);
  if (!row) throw new DomainError("CONFLICT", "fortnoxNotConnected");
  return dropConnection(db, runtime, row, { firmId, clientId, userId }, "fortnox.disconnected", "success");
}

/** Revokes and deletes a connection the user chose to drop, and says so in the activity log. */
async function dropConnection(
  db: Db,
  runtime: ConnectionRuntime,
  row: NonNullable<Awaited<ReturnType<typeof connectionOf>>>,
  who: { firmId: string; clientId: string; userId: string },
  action: "fortnox.connectCancelled" | "fortnox.disconnected",
  outcome: "info" | "success",
) {
  const removed = await removeConnection(db, runtime, row.id);
  defaultLimiterRegistry.forget(row.id);
  const revoked = removed?.revoked ?? false;
  await logActivity(db, { ...who, action, outcome, details: { company: row.companyName ?? "", databaseNumber: row.tenantId ?? "", revokedAtFortnox: revoked } });
  return { ok: true as const, revoked };
}

/**
 * For deleting a client: revoke its grant at Fortnox and delete the tokens, whatever Fortnox answers. "none": there
 * was no connection; "notRevoked": Fortnox could not be reached or refused (the grant may live on at Fortnox until
 * its refresh token expires, but nobody holds that token any more).
 */
export async function removeClientConnection(db: Db, runtime: ConnectionRuntime, firmId: string, clientId: string) {
  const row = await connectionOf(db, firmId, clientId);
  if (!row) return { grant: "none" as const, company: null };
  const removed = await removeConnection(db, runtime, row.id);
  defaultLimiterRegistry.forget(row.id);
  return { grant: removed?.revoked ? ("revoked" as const) : ("notRevoked" as const), company: row.companyName ?? "", databaseNumber: row.tenantId ?? "" };
}
