import { env as readEnv, isSandboxMode, mountedSandboxClient, type Env } from "@/server/env";

/** Where Fortnox is and who we are there. Derived from env; tests build their own. */
export interface FortnoxConfig {
  /** True without FORTNOX_CLIENT_ID: the app talks to its own sandbox mounted at /sandbox/fortnox. */
  sandbox: boolean;
  /** The app's public origin (NEXTAUTH_URL), without a trailing slash. */
  appUrl: string;
  oauthUrl: string;
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  /** Must equal the redirect URI registered at Fortnox. */
  redirectUri: string;
  /** How long the SIE download waits for its first byte (default: the HTTP client's, 10 minutes). */
  sieFirstByteTimeoutMs?: number;
}

export const SANDBOX_PATH = "/sandbox/fortnox";
const DEFAULT_APP_URL = "http://localhost:3000";

const trim = (u: string) => u.replace(/\/+$/, "");

export function fortnoxConfigFromEnv(e: Env = readEnv(), raw: NodeJS.ProcessEnv = process.env): FortnoxConfig {
  const appUrl = trim(e.NEXTAUTH_URL ?? DEFAULT_APP_URL);
  const redirectUri = `${appUrl}/api/auth/callback/fortnox`;
  if (isSandboxMode(e)) {
    // Server-to-server calls go over real HTTP to this same app, exactly as they would to Fortnox.
    return {
      sandbox: true,
      appUrl,
      oauthUrl: `${appUrl}${SANDBOX_PATH}/oauth-v1`,
      apiUrl: `${appUrl}${SANDBOX_PATH}/3`,
      // The mounted sandbox knows the same client (server/sandbox/next.ts).
      ...mountedSandboxClient(e, raw),
      redirectUri,
      sieFirstByteTimeoutMs: e.FORTNOX_SIE_FIRST_BYTE_TIMEOUT_SECONDS * 1000,
    };
  }
  return {
    sandbox: false,
    appUrl,
    oauthUrl: trim(e.FORTNOX_OAUTH_URL ?? "https://apps.fortnox.se/oauth-v1"),
    apiUrl: trim(e.FORTNOX_API_URL ?? "https://api.fortnox.se/3"),
    clientId: e.FORTNOX_CLIENT_ID!,
    clientSecret: e.FORTNOX_CLIENT_SECRET ?? "",
    redirectUri,
    sieFirstByteTimeoutMs: e.FORTNOX_SIE_FIRST_BYTE_TIMEOUT_SECONDS * 1000,
  };
}
