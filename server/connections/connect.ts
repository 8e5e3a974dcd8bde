// Connecting a client to its Fortnox company: the attempt created before the redirect to Fortnox, its single use by
// the OAuth callback, and storing what Fortnox granted. The tokens reach this module straight from the code exchange
// and leave it only as ciphertext.

import { createHash, randomBytes, randomUUID } from "node:crypto";
import { and, eq, isNull, lt, ne } from "drizzle-orm";
import type { Db } from "@/db/client";
import { clients, fortnoxConnectAttempts, fortnoxConnections, projects, type ConnectionWarnings } from "@/db/schema";
import { logActivity } from "@/server/activity/log";
import { getClient } from "@/server/firms/clients";
import { getMembership } from "@/server/firms/user-firm";
import { normalizeOrgNr } from "@/lib/org-nr";
import { FortnoxAuthError } from "@/server/fortnox/errors";
import { createFortnoxClient } from "@/server/fortnox/http";
import { decodeAccessTokenClaims, type TokenSet } from "@/server/fortnox/oauth";
import { scopesToRequest } from "@/server/fortnox/scopes";
import { notFound } from "@/server/errors";
import { createFortnoxApi } from "@/server/fortnox/resources";
import { fortnoxErrorKey } from "./errors";
import type { ConnectionRuntime } from "./runtime";
import { decryptRefreshToken, encryptTokens, REFRESH_TOKEN_LIFETIME_MS } from "./token-store";

/** As long as NextAuth's state cookie lives: an attempt cannot outlive the OAuth round trip it belongs to. */
export const ATTEMPT_TTL_MS = 15 * 60 * 1000;
export const ATTEMPT_COOKIE = "sb-fortnox-attempt";
/** The cookie only travels to the callback. */
export const ATTEMPT_COOKIE_PATH = "/api/auth/callback/fortnox";

/** Every message key the callback may send to the connection pages (they show nothing else from the URL). */
export const CONNECT_ERROR_KEYS = [
  "fortnoxSignedOut",
  "fortnoxAttemptMissing",
  "fortnoxAttemptOtherUser",
  "fortnoxAttemptUsed",
  "fortnoxAttemptExpired",
  "connectionOtherFirm",
  "fortnoxStateInvalid",
  "fortnoxConsentDenied",
  "fortnoxRefused",
  "fortnoxInvalidScope",
  "fortnoxCodeInvalid",
  "fortnoxCallbackFailed",
  "fortnoxNoLicence",
  "fortnoxMissingScope",
  "fortnoxNoApiLicence",
  "fortnoxUnreachable",
  "fortnoxUnavailable",
  "fortnoxClientRejected",
  "fortnoxServiceNotApproved",
  "fortnoxRequestFailed",
  "fortnoxNeedsReconnect",
  "internal",
] as const;

export type ConnectionKind = "user" | "service";
export type Attempt = typeof fortnoxConnectAttempts.$inferSelect;

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** A refusal or failure of the connect flow, with the message key (namespace "errors") the user sees. */
export class ConnectFailure extends Error {
  override name = "ConnectFailure";
  constructor(readonly key: string) {
    super(`fortnox connect failed: ${key}`);
  }
}

/**
 * Called by the signed-in user right before the redirect to Fortnox. The returned token goes into an httpOnly
 * cookie; the database keeps only its hash.
 */
export async function startConnectAttempt(
  db: Db,
  input: { firmId: string; clientId: string; userId: string; kind: ConnectionKind; scopes?: string[]; returnTo?: string | null },
  now = new Date(),
): Promise<{ token: string; expiresAt: Date }> {
  await getClient(db, input.firmId, input.clientId);
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + ATTEMPT_TTL_MS);
  // Old attempts are worthless after a day; keep the table small.
  await db.delete(fortnoxConnectAttempts).where(lt(fortnoxConnectAttempts.expiresAt, new Date(now.getTime() - 86_400_000)));
  await db.insert(fortnoxConnectAttempts).values({ tokenHash: hashToken(token), ...input, scopes: input.scopes ?? [], expiresAt });
  return { token, expiresAt };
}

export type ClaimResult = { ok: true; attempt: Attempt } | { ok: false; key: string; clientId?: string };

/**
 * The callback's first step: the attempt named by the cookie must exist, belong to the signed-in user, be unused
 * (it is marked used here, atomically: a replayed callback finds it used) and unexpired, and its client must still
 * belong to the user's firm.
 */
export type ConnectPurpose = "connect" | "attachments";

/**
 * What a connect asks Fortnox for, and where the browser returns. A normal connect asks for the base scopes (and
 * keeps the attachment scopes a connection already has); "attachments" adds inbox + connectfile for an export with
 * attachments, keeps the connection's kind, and returns to the project's adjustments.
 */
export async function connectRequest(
  db: Db,
  input: { firmId: string; clientId: string; kind: ConnectionKind; purpose: ConnectPurpose; projectId?: string | null },
): Promise<{ kind: ConnectionKind; scopes: string[]; returnTo: string | null }> {
  const [existing] = await db
    .select({ kind: fortnoxConnections.kind, scopes: fortnoxConnections.scopes })
    .from(fortnoxConnections)
    .where(and(eq(fortnoxConnections.clientId, input.clientId), eq(fortnoxConnections.firmId, input.firmId)));
  let returnTo: string | null = null;
  if (input.projectId) {
    const [p] = await db
      .select({ id: projects.id })
      .from(projects)
      .where(and(eq(projects.id, input.projectId), eq(projects.clientId, input.clientId), eq(projects.firmId, input.firmId)));
    if (!p) throw notFound("projectNotFound");
    returnTo = `/projects/${p.id}/adjustments`;
  }
  const attachments = input.purpose === "attachments";
  return {
    kind: attachments && existing ? existing.kind : input.kind,
    scopes: scopesToRequest({ attachments, granted: existing?.scopes ?? [] }),
    returnTo,
  };
}

export async function claimConnectAttempt(db: Db, token: string | undefined, sessionUserId: string | null, now = new Date()): Promise<ClaimResult> {
  if (!sessionUserId) return { ok: false, key: "fortnoxSignedOut" };
  if (!token) return { ok: false, key: "fortnoxAttemptMissing" };
  const [row] = await db.select().from(fortnoxConnectAttempts).where(eq(fortnoxConnectAttempts.tokenHash, hashToken(token)));
  if (!row) return { ok: false, key: "fortnoxAttemptMissing" };
  // Someone else's cookie: refuse without burning the owner's attempt.
  if (row.userId !== sessionUserId) return { ok: false, key: "fortnoxAttemptOtherUser" };
  const [claimed] = await db
    .update(fortnoxConnectAttempts)
    .set({ usedAt: now })
    .where(and(eq(fortnoxConnectAttempts.id, row.id), isNull(fortnoxConnectAttempts.usedAt)))
    .returning();
  if (!claimed) return { ok: false, key: "fortnoxAttemptUsed", clientId: row.clientId };
  const fail = async (key: string, clientId?: string): Promise<ClaimResult> => {
    await finishAttempt(db, row.id, key);
    return { ok: false, key, clientId };
  };
  if (row.expiresAt.getTime() <= now.getTime()) return fail("fortnoxAttemptExpired", row.clientId);
  const membership = await getMembership(db, sessionUserId);
  if (!membership || membership.firmId !== row.firmId) return fail("connectionOtherFirm");
  const [client] = await db.select({ id: clients.id }).from(clients).where(and(eq(clients.id, row.clientId), eq(clients.firmId, row.firmId)));
  if (!client) return fail("connectionOtherFirm");
  return { ok: true, attempt: claimed };
}

export async function finishAttempt(db: Db, attemptId: string, outcome: string): Promise<void> {
  await db.update(fortnoxConnectAttempts).set({ outcome }).where(eq(fortnoxConnectAttempts.id, attemptId));
}

export interface ConnectOutcome {
  status: "connected" | "pending_confirmation";
  connectionId: string;
  companyName: string;
  warnings: ConnectionWarnings;
}

/**
 * Stores what Fortnox granted for a claimed attempt. Reads /companyinformation with the new access token and compares
 * the organisation number with the client's; a mismatch, or a Fortnox company already serving another client of the
 * firm, stores the connection as pending_confirmation (unusable until the user confirms). Any failure revokes the new
 * grant, stores nothing and throws ConnectFailure with the message key.
 */
export async function completeConnect(db: Db, runtime: ConnectionRuntime, attempt: Attempt, tokens: TokenSet): Promise<ConnectOutcome> {
  let stored = false;
  try {
    const api = createFortnoxApi(
      createFortnoxClient({
        apiUrl: runtime.config.apiUrl,
        getAccessToken: async () => tokens.accessToken,
        limiterKey: `connect:${attempt.id}`,
        fetch: runtime.fetch,
        retries: 2,
        backoffBaseMs: 250,
        timeoutMs: 20_000,
      }),
    );
    const info = await api.getCompanyInformation();
    // DatabaseNumber is authoritative; the token's claim is only a hint when Fortnox left it out.
    const tenantId = info.databaseNumber != null ? String(info.databaseNumber) : decodeAccessTokenClaims(tokens.accessToken).tenantId;
    if (!tenantId) throw new ConnectFailure("fortnoxRequestFailed");

    let accessToken = tokens.accessToken;
    let accessTokenExpiresAt = tokens.expiresAt;
    let refreshToken = tokens.refreshToken;
    // Fortnox grants all that was asked or nothing; a token answer without `scope` means what the attempt asked.
    let scopes = tokens.scopes.length ? tokens.scopes : attempt.scopes;
    if (attempt.kind === "service") {
      // The consent with account_type=service is the administrator's approval; prove it works right away.
      try {
        const svc = await runtime.oauth.clientCredentials(tenantId);
        accessToken = svc.accessToken;
        accessTokenExpiresAt = svc.expiresAt;
        if (svc.scopes.length) scopes = svc.scopes;
      } catch (err) {
        if (err instanceof FortnoxAuthError && err.kind !== "server_error" && err.kind !== "rate_limited") throw new ConnectFailure("fortnoxServiceNotApproved");
        throw err;
      }
      // Service accounts live on client_credentials alone: the interactive refresh token is not kept.
      refreshToken = null;
    }

    const client = await getClient(db, attempt.firmId, attempt.clientId);
    const fortnoxOrgNr = normalizeOrgNr(info.organizationNumber ?? "");
    const warnings: ConnectionWarnings = {};
    if (fortnoxOrgNr !== client.orgNr) warnings.orgNrMismatch = true;
    const [other] = await db
      .select({ clientId: fortnoxConnections.clientId })
      .from(fortnoxConnections)
      .where(and(eq(fortnoxConnections.firmId, attempt.firmId), eq(fortnoxConnections.tenantId, tenantId), ne(fortnoxConnections.clientId, attempt.clientId)))
      .limit(1);
    if (other) warnings.sameCompanyAsClientId = other.clientId;
    const status = Object.keys(warnings).length ? "pending_confirmation" : "connected";
    const nowMs = runtime.now();
    const now = new Date(nowMs);

    const { id, previous } = await db.transaction(async (tx) => {
      // Lock the client's current connection so an in-flight refresh cannot write old tokens over the new ones.
      const [existing] = await tx.select().from(fortnoxConnections).where(eq(fortnoxConnections.clientId, attempt.clientId)).for("update");
      const id = existing?.id ?? randomUUID();
      const values = {
        firmId: attempt.firmId,
        clientId: attempt.clientId,
        status,
        kind: attempt.kind,
        tenantId,
        companyName: info.companyName ?? "",
        orgNr: fortnoxOrgNr,
        ...encryptTokens(runtime.cipher, id, { accessToken, refreshToken }),
        accessTokenExpiresAt: new Date(accessTokenExpiresAt),
        refreshTokenExpiresAt: refreshToken ? new Date(nowMs + REFRESH_TOKEN_LIFETIME_MS) : null,
        scopes,
        warnings,
        connectedBy: attempt.userId,
        connectedAt: now,
        lastRefreshedAt: now,
        lastErrorKey: null,
        updatedAt: now,
      } as const;
      if (existing) await tx.update(fortnoxConnections).set(values).where(eq(fortnoxConnections.id, id));
      else await tx.insert(fortnoxConnections).values({ id, ...values });
      await logActivity(tx, {
        firmId: attempt.firmId,
        clientId: attempt.clientId,
        userId: attempt.userId,
        action: status === "pending_confirmation" ? "fortnox.confirmationRequested" : existing ? "fortnox.reconnected" : "fortnox.connected",
        outcome: status === "pending_confirmation" ? "info" : "success",
        details: { company: info.companyName ?? "", databaseNumber: tenantId, kind: attempt.kind, ...warningDetails(warnings) },
      });
      return { id, previous: existing };
    });
    stored = true;

    // The client moved to another Fortnox company: the old grant is of no use to anyone, withdraw it. (For the same
    // company we do not revoke: whether that would also end the new grant is not documented.)
    if (previous && previous.tenantId !== tenantId) {
      const old = decryptRefreshToken(runtime.cipher, previous);
      if (old) await runtime.oauth.revoke(old).catch(() => false);
    }
    return { status, connectionId: id, companyName: info.companyName ?? "", warnings };
  } catch (err) {
    if (!stored && tokens.refreshToken) await runtime.oauth.revoke(tokens.refreshToken).catch(() => false);
    if (err instanceof ConnectFailure) throw err;
    throw new ConnectFailure(fortnoxErrorKey(err));
  }
}

export function warningDetails(w: ConnectionWarnings): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (w.orgNrMismatch) out.orgNrMismatch = true;
  if (w.sameCompanyAsClientId) out.sameCompanyAsClientId = w.sameCompanyAsClientId;
  return out;
}
