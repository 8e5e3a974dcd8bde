// Everything a process needs to use Fortnox connections: where Fortnox is, the token cipher, the OAuth client, and
// one token manager per database (its in-process coalescing only helps when every caller shares it).

import type { Db } from "@/db/client";
import { env } from "@/server/env";
import { createTokenCipher, parseKeyEnv, type TokenCipher } from "@/server/fortnox/crypto";
import { createFortnoxOAuth, type FortnoxOAuth } from "@/server/fortnox/oauth";
import { createTokenManager, type TokenManager } from "@/server/fortnox/token-manager";
import { fortnoxConfigFromEnv, type FortnoxConfig } from "./config";
import { DbTokenStore } from "./token-store";

export interface ConnectionRuntime {
  readonly config: FortnoxConfig;
  readonly cipher: TokenCipher;
  readonly oauth: FortnoxOAuth;
  readonly now: () => number;
  /** fetch for every Fortnox call (OAuth and API); tests wrap it. */
  readonly fetch: typeof fetch;
  store(db: Db): DbTokenStore;
  tokenManager(db: Db): TokenManager;
}

export interface ConnectionRuntimeOptions {
  config: FortnoxConfig;
  cipher: TokenCipher;
  now?: () => number;
  fetch?: typeof fetch;
  oauthTimeoutMs?: number;
}

export function createConnectionRuntime(opts: ConnectionRuntimeOptions): ConnectionRuntime {
  const now = opts.now ?? Date.now;
  const fetchImpl = opts.fetch ?? ((input, init) => fetch(input, init));
  const oauth = createFortnoxOAuth({
    oauthUrl: opts.config.oauthUrl,
    clientId: opts.config.clientId,
    clientSecret: opts.config.clientSecret,
    fetch: fetchImpl,
    timeoutMs: opts.oauthTimeoutMs,
    now,
  });
  const stores = new WeakMap<Db, DbTokenStore>();
  const managers = new WeakMap<Db, TokenManager>();
  const store = (db: Db) => {
    let s = stores.get(db);
    if (!s) stores.set(db, (s = new DbTokenStore(db, { cipher: opts.cipher, now })));
    return s;
  };
  return {
    config: opts.config,
    cipher: opts.cipher,
    oauth,
    now,
    fetch: fetchImpl,
    store,
    tokenManager(db) {
      let m = managers.get(db);
      if (!m) managers.set(db, (m = createTokenManager({ store: store(db), oauth, now })));
      return m;
    },
  };
}

const KEY = Symbol.for("skatt-bokslut.connection-runtime");
type Holder = { [KEY]?: ConnectionRuntime };

/** The process-wide runtime built from env (kept on globalThis so hot reloads keep one token manager). */
export function defaultConnectionRuntime(): ConnectionRuntime {
  const g = globalThis as Holder;
  if (!g[KEY]) {
    const e = env();
    g[KEY] = createConnectionRuntime({ config: fortnoxConfigFromEnv(e), cipher: createTokenCipher(parseKeyEnv(e.TOKEN_ENCRYPTION_KEY)) });
  }
  return g[KEY];
}
