// The database TokenStore: one exclusive lock per connection shared by every process on the database (a row lock,
// SELECT … FOR UPDATE inside a transaction: PostgreSQL blocks other transactions, PGlite runs one transaction at a
// time), tokens encrypted at rest and bound to their row and field, so a ciphertext copied elsewhere fails to decrypt.

import { eq } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { fortnoxConnections } from "@/db/schema";
import { logActivity } from "@/server/activity/log";
import { TokenDecryptError, type TokenCipher } from "@/server/fortnox/crypto";
import {
  ConnectionNotFoundError,
  type LockedTokenWriter,
  type ReconnectReason,
  type StoredTokens,
  type TokenStore,
  type TokenUpdate,
} from "@/server/fortnox/token-manager";

/** Design for the shorter of the documented lifetimes (docs/fortnox-api.md §1: 31 or 45 days). */
export const REFRESH_TOKEN_LIFETIME_MS = 31 * 24 * 60 * 60 * 1000;

type Row = typeof fortnoxConnections.$inferSelect;

/** Additional data of each ciphertext: the row and the field, so tokens cannot be swapped between rows or fields. */
export const tokenAad = (connectionId: string, field: "access" | "refresh") => `${connectionId}:${field}`;

export interface EncryptedTokens {
  accessTokenEnc: string | null;
  refreshTokenEnc: string | null;
  tokenKeyVersion: number;
}

export function encryptTokens(cipher: TokenCipher, connectionId: string, t: { accessToken: string | null; refreshToken: string | null }): EncryptedTokens {
  return {
    accessTokenEnc: t.accessToken === null ? null : cipher.encrypt(t.accessToken, tokenAad(connectionId, "access")),
    refreshTokenEnc: t.refreshToken === null ? null : cipher.encrypt(t.refreshToken, tokenAad(connectionId, "refresh")),
    tokenKeyVersion: cipher.currentVersion,
  };
}

/** Plaintext refresh token of a row, or null (none stored, or unreadable with the configured keys). */
export function decryptRefreshToken(cipher: TokenCipher, row: Pick<Row, "id" | "refreshTokenEnc">): string | null {
  if (!row.refreshTokenEnc) return null;
  try {
    return cipher.decrypt(row.refreshTokenEnc, tokenAad(row.id, "refresh"));
  } catch (err) {
    if (err instanceof TokenDecryptError) return null;
    throw err;
  }
}

export interface DbTokenStoreOptions {
  cipher: TokenCipher;
  now?: () => number;
}

export class DbTokenStore implements TokenStore {
  private readonly now: () => number;
  constructor(
    private readonly db: Db,
    private readonly opts: DbTokenStoreOptions,
  ) {
    this.now = opts.now ?? Date.now;
  }

  private toStored(row: Row): StoredTokens {
    const { cipher } = this.opts;
    let accessToken: string | null = null;
    let refreshToken: string | null = null;
    try {
      accessToken = row.accessTokenEnc ? cipher.decrypt(row.accessTokenEnc, tokenAad(row.id, "access")) : null;
      refreshToken = row.refreshTokenEnc ? cipher.decrypt(row.refreshTokenEnc, tokenAad(row.id, "refresh")) : null;
    } catch (err) {
      if (!(err instanceof TokenDecryptError)) throw err;
      // A key that was dropped from TOKEN_ENCRYPTION_KEY, or a tampered row: nothing usable is left, and the token
      // manager turns "no credentials" into needs_reconnect. Never log the value, only that it happened.
      console.error(`fortnox connection ${row.id}: stored tokens cannot be decrypted (${err.problem})`);
      accessToken = null;
      refreshToken = null;
    }
    return {
      connectionId: row.id,
      accessToken,
      accessTokenExpiresAt: accessToken && row.accessTokenExpiresAt ? row.accessTokenExpiresAt.getTime() : null,
      refreshToken,
      // Only service accounts may fall back to client_credentials; a user connection without its refresh token
      // must be reconnected by a person.
      tenantId: row.kind === "service" ? row.tenantId : null,
      status: row.status === "needs_reconnect" ? "needs_reconnect" : "active",
      scopes: row.scopes,
    };
  }

  async read(connectionId: string): Promise<StoredTokens | null> {
    const [row] = await this.db.select().from(fortnoxConnections).where(eq(fortnoxConnections.id, connectionId));
    return row ? this.toStored(row) : null;
  }

  async withLock<T>(connectionId: string, fn: (row: StoredTokens, tx: LockedTokenWriter) => Promise<T>): Promise<T> {
    // The writes commit with the transaction, before withLock resolves: a rotated refresh token is durable before the
    // access token that came with it is handed to anyone. Inside, only `tx` may be used (PGlite would deadlock on db).
    // A write is a decision (a rotated token, a dead connection): it is committed even when fn throws afterwards, as
    // the token manager does right after marking a connection for reconnect.
    let thrown: { err: unknown } | null = null;
    const result = await this.db.transaction(async (tx) => {
      const [row] = await tx.select().from(fortnoxConnections).where(eq(fortnoxConnections.id, connectionId)).for("update");
      if (!row) throw new ConnectionNotFoundError(connectionId);
      let wrote = false;
      const writer: LockedTokenWriter = {
        save: async (id, tokens) => {
          await this.saveWith(tx, id, tokens, row);
          wrote = true;
        },
        markNeedsReconnect: async (id, reason) => {
          await this.markWith(tx, id, reason, row);
          wrote = true;
        },
      };
      try {
        return await fn(this.toStored(row), writer);
      } catch (err) {
        if (!wrote) throw err;
        thrown = { err };
        return undefined as T;
      }
    });
    if (thrown) throw (thrown as { err: unknown }).err;
    return result;
  }

  save(connectionId: string, tokens: TokenUpdate): Promise<void> {
    return this.saveWith(this.db, connectionId, tokens, null);
  }

  markNeedsReconnect(connectionId: string, reason: ReconnectReason): Promise<void> {
    return this.markWith(this.db, connectionId, reason, null);
  }

  private async saveWith(db: DbOrTx, connectionId: string, tokens: TokenUpdate, before: Row | null): Promise<void> {
    const row = before ?? (await db.select().from(fortnoxConnections).where(eq(fortnoxConnections.id, connectionId)))[0];
    if (!row) throw new ConnectionNotFoundError(connectionId);
    const now = this.now();
    const previousRefresh = decryptRefreshToken(this.opts.cipher, row);
    const rotated = tokens.refreshToken !== null && tokens.refreshToken !== previousRefresh;
    await db
      .update(fortnoxConnections)
      .set({
        ...encryptTokens(this.opts.cipher, connectionId, tokens),
        accessTokenExpiresAt: new Date(tokens.accessTokenExpiresAt),
        // A new refresh token starts a new lifetime; an unchanged one keeps its old expiry.
        refreshTokenExpiresAt: tokens.refreshToken === null ? null : rotated ? new Date(now + REFRESH_TOKEN_LIFETIME_MS) : row.refreshTokenExpiresAt,
        scopes: tokens.scopes ?? row.scopes,
        // A working refresh heals an earlier error; a pending confirmation stays pending until the user decides.
        status: row.status === "pending_confirmation" ? "pending_confirmation" : "connected",
        lastRefreshedAt: new Date(now),
        lastErrorKey: null,
        updatedAt: new Date(now),
      })
      .where(eq(fortnoxConnections.id, connectionId));
  }

  private async markWith(db: DbOrTx, connectionId: string, reason: ReconnectReason, before: Row | null): Promise<void> {
    const row = before ?? (await db.select().from(fortnoxConnections).where(eq(fortnoxConnections.id, connectionId)))[0];
    if (!row) throw new ConnectionNotFoundError(connectionId);
    // The dead tokens are useless: drop them, keep who/what/when so the page can say what to reconnect.
    await db
      .update(fortnoxConnections)
      .set({
        status: "needs_reconnect",
        accessTokenEnc: null,
        refreshTokenEnc: null,
        accessTokenExpiresAt: null,
        lastErrorKey: reason === "service_account_revoked" ? "fortnoxServiceRevoked" : "fortnoxNeedsReconnect",
        updatedAt: new Date(this.now()),
      })
      .where(eq(fortnoxConnections.id, connectionId));
    await logActivity(db, {
      firmId: row.firmId,
      clientId: row.clientId,
      action: "fortnox.refreshFailed",
      outcome: "failure",
      details: { reason, company: row.companyName ?? "" },
    });
  }
}
