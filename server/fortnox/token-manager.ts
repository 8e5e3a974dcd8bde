// The one place that hands out a valid Fortnox access token. Refresh tokens are single use and two
// concurrent refreshes with the same one kill the connection (docs/fortnox-api.md §1), so refreshing happens
// only inside a per-connection lock, after re-reading the row, and the rotated refresh token is saved
// before the access token is used. DB-agnostic: the DB layer implements TokenStore.

import { FortnoxAuthError, FortnoxError, FortnoxNetworkError } from "./errors";
import type { TokenSet } from "./oauth";

export interface StoredTokens {
  connectionId: string;
  /** Plaintext here: the store encrypts at rest (crypto.ts) and decrypts when reading. */
  accessToken: string | null;
  /** Epoch ms. */
  accessTokenExpiresAt: number | null;
  /** Null for service accounts. */
  refreshToken: string | null;
  /** Set for service accounts (client_credentials needs it); the company's DatabaseNumber. */
  tenantId: string | null;
  status: "active" | "needs_reconnect";
  scopes?: string[];
}

export interface TokenUpdate {
  accessToken: string;
  accessTokenExpiresAt: number;
  refreshToken: string | null;
  scopes?: string[];
}

export type ReconnectReason = "refresh_token_dead" | "service_account_revoked" | "no_credentials";

/** Writes allowed while holding the lock; they must be durable before withLock resolves. */
export interface LockedTokenWriter {
  save(connectionId: string, tokens: TokenUpdate): Promise<void>;
  markNeedsReconnect(connectionId: string, reason: ReconnectReason): Promise<void>;
}

export interface TokenStore extends LockedTokenWriter {
  /** Unlocked read for the fast path; null when the connection does not exist. */
  read(connectionId: string): Promise<StoredTokens | null>;
  /**
   * Runs fn while holding an exclusive per-connection lock that every process sharing the database
   * respects; fn gets the row re-read after the lock was taken, and a writer that works inside the
   * lock (same transaction). Must throw ConnectionNotFoundError if the row does not exist.
   */
  withLock<T>(connectionId: string, fn: (row: StoredTokens, tx: LockedTokenWriter) => Promise<T>): Promise<T>;
}

export class ConnectionNeedsReconnectError extends FortnoxError {
  override name = "ConnectionNeedsReconnectError";
  readonly translationKey = "fortnox.error.needs_reconnect";
  constructor(
    readonly connectionId: string,
    readonly reason: ReconnectReason | "marked",
  ) {
    super(`Fortnox connection ${connectionId} needs to be reconnected (${reason})`);
  }
}

export class ConnectionNotFoundError extends Error {
  override name = "ConnectionNotFoundError";
  constructor(readonly connectionId: string) {
    super(`Fortnox connection ${connectionId} not found`);
  }
}

export interface TokenGrants {
  refresh(refreshToken: string): Promise<TokenSet>;
  clientCredentials(tenantId: string): Promise<TokenSet>;
}

export interface TokenManagerOptions {
  store: TokenStore;
  /** Usually createFortnoxOAuth(config). */
  oauth: TokenGrants;
  now?: () => number;
  /** A token with less life left than this is refreshed first (default 60 s). */
  minRemainingMs?: number;
  /** Waits before the 2nd, 3rd… try of a grant Fortnox failed for a passing reason (default 1 s, 3 s). */
  retryDelaysMs?: number[];
  sleep?: (ms: number) => Promise<void>;
}

export interface TokenManager {
  getValidAccessToken(connectionId: string): Promise<string>;
  /**
   * For the client's onUnauthorized: refreshes unless someone already replaced `rejectedToken`.
   * Fortnox answered 401 to a token we thought valid (revoked, clock skew).
   */
  forceRefresh(connectionId: string, rejectedToken: string): Promise<string>;
  /**
   * Keep-alive: refreshes now, under the lock, unless the refresh token is no longer `seenRefreshToken` (another
   * process rotated it meanwhile, which renewed the connection just as well). True when this call refreshed.
   */
  refreshIfUnchanged(connectionId: string, seenRefreshToken: string): Promise<boolean>;
}

/**
 * A grant that failed for a passing reason: the network, a 429 or a 5xx. Trying again at once is safe even when
 * Fortnox may have rotated the token before the answer was lost: any later try would send the same refresh token.
 */
function passing(err: unknown) {
  return err instanceof FortnoxNetworkError || (err instanceof FortnoxAuthError && (err.kind === "server_error" || err.kind === "rate_limited"));
}

/** A service-account error that means the administrator's approval is gone. */
function serviceAccountRevoked(err: FortnoxAuthError) {
  return ["invalid_grant", "access_denied", "unauthorized_client", "refresh_token_dead"].includes(err.kind);
}

export function createTokenManager(opts: TokenManagerOptions): TokenManager {
  const { store, oauth } = opts;
  const now = opts.now ?? Date.now;
  const minRemaining = opts.minRemainingMs ?? 60_000;
  const retryDelays = opts.retryDelaysMs ?? [1_000, 3_000];
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  // Callers in this process share one locked refresh instead of queueing on the lock one by one.
  const inflight = new Map<string, Promise<string>>();

  const fresh = (row: StoredTokens) =>
    row.accessToken !== null && row.accessTokenExpiresAt !== null && row.accessTokenExpiresAt - now() > minRemaining;

  async function renewLocked(row: StoredTokens, tx: LockedTokenWriter): Promise<string> {
    const id = row.connectionId;
    let tokens: TokenSet;
    if (!row.refreshToken && !row.tenantId) {
      await tx.markNeedsReconnect(id, "no_credentials");
      throw new ConnectionNeedsReconnectError(id, "no_credentials");
    }
    const grant = () => (row.refreshToken ? oauth.refresh(row.refreshToken) : oauth.clientCredentials(row.tenantId!));
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          tokens = await grant();
          break;
        } catch (err) {
          if (attempt >= retryDelays.length || !passing(err)) throw err;
          await sleep(retryDelays[attempt]);
        }
      }
    } catch (err) {
      if (err instanceof FortnoxAuthError) {
        if (row.refreshToken && err.kind === "refresh_token_dead") {
          await tx.markNeedsReconnect(id, "refresh_token_dead");
          throw new ConnectionNeedsReconnectError(id, "refresh_token_dead");
        }
        if (!row.refreshToken && serviceAccountRevoked(err)) {
          await tx.markNeedsReconnect(id, "service_account_revoked");
          throw new ConnectionNeedsReconnectError(id, "service_account_revoked");
        }
      }
      // Network errors and 5xx after every try: keep the old refresh token; the next call tries again with it.
      throw err;
    }
    // Persist first: if saving fails, the access token is not handed out (and the rotated refresh token,
    // already consumed at Fortnox, is lost: the connection will need a reconnect, which is detected next time).
    await tx.save(id, {
      accessToken: tokens.accessToken,
      accessTokenExpiresAt: tokens.expiresAt,
      // Fortnox always rotates; if an answer ever lacks one, the old token is the only one we have.
      refreshToken: row.refreshToken ? (tokens.refreshToken ?? row.refreshToken) : null,
      scopes: tokens.scopes.length ? tokens.scopes : row.scopes,
    });
    return tokens.accessToken;
  }

  function coalesce(key: string, run: () => Promise<string>): Promise<string> {
    const existing = inflight.get(key);
    if (existing) return existing;
    const p = run().finally(() => inflight.delete(key));
    inflight.set(key, p);
    return p;
  }

  return {
    async getValidAccessToken(connectionId) {
      const row = await store.read(connectionId);
      if (!row) throw new ConnectionNotFoundError(connectionId);
      if (row.status === "needs_reconnect") throw new ConnectionNeedsReconnectError(connectionId, "marked");
      if (fresh(row)) return row.accessToken!;
      return coalesce(`get:${connectionId}`, () =>
        store.withLock(connectionId, async (locked, tx) => {
          // Re-read under the lock: another process may have refreshed while we waited.
          if (locked.status === "needs_reconnect") throw new ConnectionNeedsReconnectError(connectionId, "marked");
          if (fresh(locked)) return locked.accessToken!;
          return renewLocked(locked, tx);
        }),
      );
    },

    async refreshIfUnchanged(connectionId, seenRefreshToken) {
      return store.withLock(connectionId, async (locked, tx) => {
        if (locked.status === "needs_reconnect") throw new ConnectionNeedsReconnectError(connectionId, "marked");
        if ((locked.refreshToken ?? "") !== seenRefreshToken) return false;
        await renewLocked(locked, tx);
        return true;
      });
    },

    async forceRefresh(connectionId, rejectedToken) {
      return coalesce(`force:${connectionId}:${rejectedToken}`, () =>
        store.withLock(connectionId, async (locked, tx) => {
          if (locked.status === "needs_reconnect") throw new ConnectionNeedsReconnectError(connectionId, "marked");
          if (locked.accessToken && locked.accessToken !== rejectedToken && fresh(locked)) return locked.accessToken;
          return renewLocked(locked, tx);
        }),
      );
    },
  };
}

/** Ready-made client options for a connection: token source and 401 handling in one. */
export function clientAuthFor(manager: TokenManager, connectionId: string) {
  let last: string | undefined;
  return {
    limiterKey: connectionId,
    getAccessToken: async () => (last = await manager.getValidAccessToken(connectionId)),
    onUnauthorized: async () => (last = await manager.forceRefresh(connectionId, last ?? "")),
  };
}

// ---------------------------------------------------------------------------------------------
// In-memory store (tests, sandbox, scripts)

/** FIFO async mutex. */
export class AsyncMutex {
  private tail: Promise<void> = Promise.resolve();

  async runExclusive<T>(fn: () => Promise<T>): Promise<T> {
    let release!: () => void;
    const next = new Promise<void>((r) => (release = r));
    const prev = this.tail;
    this.tail = prev.then(() => next);
    await prev;
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

export class InMemoryTokenStore implements TokenStore {
  private rows = new Map<string, StoredTokens>();
  private locks = new Map<string, AsyncMutex>();
  readonly reconnectReasons = new Map<string, ReconnectReason>();

  put(row: StoredTokens): void {
    this.rows.set(row.connectionId, { ...row });
  }

  async read(connectionId: string): Promise<StoredTokens | null> {
    const r = this.rows.get(connectionId);
    return r ? { ...r } : null;
  }

  async withLock<T>(connectionId: string, fn: (row: StoredTokens, tx: LockedTokenWriter) => Promise<T>): Promise<T> {
    let m = this.locks.get(connectionId);
    if (!m) this.locks.set(connectionId, (m = new AsyncMutex()));
    return m.runExclusive(async () => {
      const row = await this.read(connectionId);
      if (!row) throw new ConnectionNotFoundError(connectionId);
      return fn(row, this);
    });
  }

  async save(connectionId: string, tokens: TokenUpdate): Promise<void> {
    const row = this.rows.get(connectionId);
    if (!row) throw new ConnectionNotFoundError(connectionId);
    this.rows.set(connectionId, { ...row, ...tokens, status: "active" });
  }

  async markNeedsReconnect(connectionId: string, reason: ReconnectReason): Promise<void> {
    const row = this.rows.get(connectionId);
    if (!row) throw new ConnectionNotFoundError(connectionId);
    this.reconnectReasons.set(connectionId, reason);
    this.rows.set(connectionId, { ...row, status: "needs_reconnect" });
  }
}
