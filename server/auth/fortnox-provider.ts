// The NextAuth custom OAuth provider "fortnox". NextAuth runs the dance (authorize URL, the `state` cookie and its
// check); we run the code exchange ourselves (server/fortnox/oauth.ts: Basic client auth, Fortnox's error shapes) and
// hand NextAuth an empty token set, so Fortnox's tokens never enter NextAuth's objects, its JWT, its logs or the
// browser. What happens with them is decided by the callback handler (fortnox-callback.ts) through `FortnoxCallback`.

import type { OAuthConfig } from "next-auth/providers/oauth";
import { FORTNOX_SCOPES } from "@/server/fortnox/oauth";
import type { FortnoxConfig } from "@/server/connections/config";

export const FORTNOX_PROVIDER_ID = "fortnox";

/** The per-request hooks of one OAuth callback. Without them the provider refuses every callback. */
export interface FortnoxCallback {
  /** The state check failed (NextAuth does not check it when the token request is ours). */
  refuse(key: string): void;
  /** Exchanges the code; keeps the tokens out of NextAuth. */
  exchange(code: string): Promise<void>;
  /** Stores the connection; returns where the browser goes next. */
  complete(): Promise<string>;
}

/** NextAuth's profile: only an id (Fortnox is not an identity provider here). */
type FortnoxProfile = { sub: string };

export function fortnoxProvider(config: FortnoxConfig, callback?: FortnoxCallback): OAuthConfig<FortnoxProfile> {
  return {
    id: FORTNOX_PROVIDER_ID,
    name: "Fortnox",
    type: "oauth",
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    checks: ["state"],
    idToken: false,
    // Documents the client authentication; the exchange itself is server/fortnox/oauth.ts, which sends Basic auth.
    client: { token_endpoint_auth_method: "client_secret_basic" },
    authorization: {
      url: `${config.oauthUrl}/auth`,
      // Every scope import and export need, asked once (a scope added later forces a new consent); see FORTNOX_SCOPES.
      params: { scope: FORTNOX_SCOPES.join(" "), access_type: "offline", response_type: "code" },
    },
    token: {
      url: `${config.oauthUrl}/token`,
      async request({ params, checks }) {
        if (!callback) throw new Error("Fortnox callback outside its handler");
        // openid-client compares state only in its own token request; this one replaces it, so compare here.
        if (!checks.state || params.state !== checks.state) {
          callback.refuse("fortnoxStateInvalid");
          throw new Error("state mismatch");
        }
        if (typeof params.code !== "string" || params.code === "") {
          callback.refuse("fortnoxCodeInvalid");
          throw new Error("no authorization code");
        }
        await callback.exchange(params.code);
        return { tokens: {} };
      },
    },
    // The company is read by the callback handler with the access token; NextAuth only needs an id.
    userinfo: { url: `${config.apiUrl}/companyinformation`, request: async () => ({ sub: FORTNOX_PROVIDER_ID }) },
    profile: (p) => ({ id: p.sub }),
  };
}
