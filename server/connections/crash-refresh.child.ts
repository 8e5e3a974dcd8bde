// A child process for the crash test on PostgreSQL: it refreshes a connection's token and dies (process.exit) right
// after Fortnox answered, before its transaction commits — exactly what a killed app instance does.
// Run: node --import tsx server/connections/crash-refresh.child.ts (env: DATABASE_URL, CRASH_*).

import { openDb } from "@/db/client";
import { createTokenCipher } from "@/server/fortnox/crypto";
import { createFortnoxOAuth } from "@/server/fortnox/oauth";
import { createTokenManager, type LockedTokenWriter, type StoredTokens } from "@/server/fortnox/token-manager";
import { DbTokenStore } from "./token-store";

class DyingStore extends DbTokenStore {
  override withLock<T>(id: string, fn: (r: StoredTokens, tx: LockedTokenWriter) => Promise<T>): Promise<T> {
    return super.withLock(id, (r, tx) =>
      fn(r, {
        ...tx,
        // Fortnox has answered with a rotated refresh token; the process dies before saving it.
        save: async () => process.exit(3),
      }),
    );
  }
}

const env = process.env;
const h = await openDb({ url: env.DATABASE_URL });
const cipher = createTokenCipher({ current: { version: 1, key: Buffer.from(env.CRASH_KEY!, "base64") } });
const oauth = createFortnoxOAuth({ oauthUrl: env.CRASH_OAUTH_URL!, clientId: "sandbox-client", clientSecret: "sandbox-secret" });
const manager = createTokenManager({ store: new DyingStore(h.db, { cipher }), oauth });
await manager.getValidAccessToken(env.CRASH_CONNECTION_ID!);
process.exit(0); // not reached: the store exits first
