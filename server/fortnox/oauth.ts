// Fortnox OAuth2 endpoints (docs/fortnox-api.md §1): authorize URL, code exchange, refresh, service-account
// client_credentials, revoke. Basic client auth, form-urlencoded bodies. Never logs tokens.

import { FortnoxAuthError } from "./errors";
import { authErrorFromResponse, networkErrorFrom } from "./error-answers";
import { readBodyText } from "./http-request";
import { FORTNOX_BASE_SCOPES } from "./scopes";

/** Scopes asked at a normal connect (server/fortnox/scopes.ts says which feature needs which, and when the
 * attachment scopes are added). */
export const FORTNOX_SCOPES = FORTNOX_BASE_SCOPES;

export type FortnoxScope = (typeof FORTNOX_SCOPES)[number];

export interface FortnoxOAuthConfig {
  /** FORTNOX_OAUTH_URL, e.g. https://apps.fortnox.se/oauth-v1 (or the sandbox). */
  oauthUrl: string;
  clientId: string;
  clientSecret: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Clock for expiresAt (tests). */
  now?: () => number;
}

export interface TokenSet {
  accessToken: string;
  /** Null for service accounts (client_credentials). */
  refreshToken: string | null;
  scopes: string[];
  expiresIn: number;
  /** Epoch ms, computed from expires_in when the answer arrived. */
  expiresAt: number;
  tokenType: string;
}

export interface AuthorizeUrlParams {
  redirectUri: string;
  state: string;
  scopes?: readonly string[];
  /** offline: ask for a refresh token (Fortnox issues one anyway; harmless). */
  accessType?: "offline";
  /** service: ask a system administrator to approve a service account (client_credentials). */
  accountType?: "service";
}

function trimSlash(u: string) {
  return u.replace(/\/+$/, "");
}

export function createFortnoxOAuth(config: FortnoxOAuthConfig) {
  const fetchImpl = config.fetch ?? fetch;
  const timeoutMs = config.timeoutMs ?? 30_000;
  const now = config.now ?? Date.now;
  const base = trimSlash(config.oauthUrl);
  const basic = `Basic ${Buffer.from(`${config.clientId}:${config.clientSecret}`).toString("base64")}`;

  async function post(
    endpoint: "token" | "revoke",
    form: Record<string, string>,
    extraHeaders: Record<string, string> = {},
  ): Promise<unknown> {
    let res: Response;
    let text: string;
    let timedOut = false;
    const ac = new AbortController();
    const timer = setTimeout(() => {
      timedOut = true;
      ac.abort();
    }, timeoutMs);
    try {
      res = await fetchImpl(`${base}/${endpoint}`, {
        method: "POST",
        headers: {
          Authorization: basic,
          "Content-Type": "application/x-www-form-urlencoded",
          Accept: "application/json",
          ...extraHeaders,
        },
        body: new URLSearchParams(form).toString(),
        signal: ac.signal,
      });
      text = await readBodyText(res);
    } catch (err) {
      // A refresh that may have reached Fortnox may already have rotated the token: the caller must not
      // treat this as a dead token, only retry later with the same one (which then works or is refused).
      throw networkErrorFrom(err, "POST", timedOut);
    } finally {
      clearTimeout(timer);
    }
    if (!res.ok) throw authErrorFromResponse({ status: res.status, bodyText: text, grantType: form.grant_type });
    try {
      return JSON.parse(text);
    } catch {
      throw new FortnoxAuthError({ status: res.status, kind: "unknown", message: "OAuth answer is not JSON" });
    }
  }

  function toTokenSet(data: unknown, status = 200): TokenSet {
    const d = (data ?? {}) as Record<string, unknown>;
    const accessToken = d.access_token;
    if (typeof accessToken !== "string" || accessToken === "") {
      throw new FortnoxAuthError({ status, kind: "unknown", message: "OAuth answer without access_token" });
    }
    const expiresIn = Number(d.expires_in ?? 3600);
    const ttl = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 3600;
    return {
      accessToken,
      refreshToken: typeof d.refresh_token === "string" && d.refresh_token !== "" ? d.refresh_token : null,
      scopes: typeof d.scope === "string" ? d.scope.split(/\s+/).filter(Boolean) : [],
      expiresIn: ttl,
      expiresAt: now() + ttl * 1000,
      tokenType: typeof d.token_type === "string" ? d.token_type : "bearer",
    };
  }

  return {
    /** The consent page URL. Scopes are joined with %20 (not '+'), as Fortnox's examples do. */
    authorizeUrl(p: AuthorizeUrlParams): string {
      const params: Array<[string, string]> = [
        ["client_id", config.clientId],
        ["redirect_uri", p.redirectUri],
        ["scope", (p.scopes ?? FORTNOX_SCOPES).join(" ")],
        ["state", p.state],
        ["response_type", "code"],
      ];
      if (p.accessType) params.push(["access_type", p.accessType]);
      if (p.accountType) params.push(["account_type", p.accountType]);
      return `${base}/auth?${params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&")}`;
    },

    /** Authorization code (valid 10 minutes) → tokens. redirectUri must equal the one sent to /auth. */
    async exchangeCode(p: { code: string; redirectUri: string }): Promise<TokenSet> {
      return toTokenSet(await post("token", { grant_type: "authorization_code", code: p.code, redirect_uri: p.redirectUri }));
    },

    /**
     * Single use: the answer carries a new refresh token and the old one is dead from now on. Persist
     * it before using the access token (token-manager does). A dead token → FortnoxAuthError
     * kind "refresh_token_dead".
     */
    async refresh(refreshToken: string): Promise<TokenSet> {
      return toTokenSet(await post("token", { grant_type: "refresh_token", refresh_token: refreshToken }));
    },

    /** Service accounts: a fresh access token on demand, no refresh token. */
    async clientCredentials(tenantId: string | number): Promise<TokenSet> {
      return toTokenSet(await post("token", { grant_type: "client_credentials" }, { TenantId: String(tenantId) }));
    },

    /** Revokes a refresh token (access tokens cannot be revoked; they expire within the hour). */
    async revoke(refreshToken: string): Promise<boolean> {
      const data = (await post("revoke", { token_type_hint: "refresh_token", token: refreshToken })) as {
        revoked?: unknown;
      };
      return data?.revoked === true || data?.revoked === "true";
    },
  };
}

export type FortnoxOAuth = ReturnType<typeof createFortnoxOAuth>;

export interface AccessTokenClaims {
  tenantId?: string;
  userId?: string;
  /** Epoch seconds. */
  exp?: number;
}

/**
 * Reads the JWT payload WITHOUT verifying it: Fortnox publishes no key. Use it as a hint only (e.g. to
 * notice that a reconnect picked another company than before, then confirm with /companyinformation's
 * DatabaseNumber); never for authorization. Returns {} for anything that is not a JWT.
 */
export function decodeAccessTokenClaims(jwt: string): AccessTokenClaims {
  const parts = jwt.split(".");
  if (parts.length !== 3) return {};
  try {
    const payload = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v) : undefined);
    return {
      tenantId: str(payload.tenantId),
      userId: str(payload.userId),
      exp: typeof payload.exp === "number" ? payload.exp : undefined,
    };
  } catch {
    return {};
  }
}
