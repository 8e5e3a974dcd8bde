import { createHmac, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: z.string().url().optional(),
  /** Allows `next start` on embedded PGlite (demo machines, local e2e). Never set in a real deployment. */
  EMBEDDED_DB: z.enum(["0", "1"]).optional(),
  NEXTAUTH_SECRET: z.string().min(32),
  NEXTAUTH_URL: z.string().url().optional(),
  TOKEN_ENCRYPTION_KEY: z.string().min(32),
  FORTNOX_CLIENT_ID: z.string().optional(),
  FORTNOX_CLIENT_SECRET: z.string().optional(),
  FORTNOX_OAUTH_URL: z.string().url().optional(),
  FORTNOX_API_URL: z.string().url().optional(),
  /** How long the SIE download may wait for Fortnox's first byte (Fortnox builds the file first). */
  FORTNOX_SIE_FIRST_BYTE_TIMEOUT_SECONDS: z.coerce.number().int().positive().default(600),
  SESSION_MAX_AGE_SECONDS: z.coerce.number().int().positive().default(8 * 60 * 60),
  /** Production without FORTNOX_CLIENT_ID: run the built-in sandbox anyway (a demo machine). Never in a real deployment. */
  ALLOW_SANDBOX_IN_PRODUCTION_INSECURE: z.enum(["0", "1"]).optional(),
  /** Production on plain http, for a loopback NEXTAUTH_URL only (a production build tested on this machine). */
  ALLOW_HTTP_LOOPBACK_INSECURE: z.enum(["0", "1"]).optional(),
  /** Reverse proxies in front of the app that append to X-Forwarded-For; the client is that many entries from the right. */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(1).max(10).default(1),
});
export type Env = z.infer<typeof schema>;

const REQUIRED_IN_PRODUCTION = ["NEXTAUTH_SECRET", "TOKEN_ENCRYPTION_KEY", "DATABASE_URL"] as const;

/** Development keeps generated secrets in .data/ so sessions and encrypted tokens survive restarts. */
function devSecrets(): { NEXTAUTH_SECRET: string; TOKEN_ENCRYPTION_KEY: string } {
  const dir = path.join(process.cwd(), ".data");
  const file = path.join(dir, "secrets.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8"));
  const secrets = {
    NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Why production must not start with this environment, one sentence each (empty: it may). */
function productionProblems(raw: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  const missing = REQUIRED_IN_PRODUCTION.filter((k) => !raw[k] && !(k === "DATABASE_URL" && raw.EMBEDDED_DB === "1"));
  if (missing.length) problems.push(`set ${missing.join(", ")} (see README, "Configuration").`);
  let url: URL | null = null;
  try {
    url = raw.NEXTAUTH_URL ? new URL(raw.NEXTAUTH_URL) : null;
  } catch {
    // The schema names it below.
  }
  if (!raw.NEXTAUTH_URL) problems.push("set NEXTAUTH_URL to the app's public https URL (OAuth redirects and cookies derive from it).");
  else if (url && url.protocol !== "https:") {
    const loopback = url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname);
    if (!loopback) problems.push("NEXTAUTH_URL must be https in production: over http the session cookie and every figure travel in clear text.");
    else if (raw.ALLOW_HTTP_LOOPBACK_INSECURE !== "1") {
      problems.push("NEXTAUTH_URL is plain http on this machine; to test a production build locally set ALLOW_HTTP_LOOPBACK_INSECURE=1.");
    }
  }
  if (!raw.FORTNOX_CLIENT_ID && raw.ALLOW_SANDBOX_IN_PRODUCTION_INSECURE !== "1") {
    problems.push(
      "no FORTNOX_CLIENT_ID is set, so the app would run against its built-in Fortnox sandbox, a local imitation whose " +
        "companies anyone who reaches the app could use. Set FORTNOX_CLIENT_ID and FORTNOX_CLIENT_SECRET (README, \"Real Fortnox\"), " +
        "or, on a demo machine only, ALLOW_SANDBOX_IN_PRODUCTION_INSECURE=1.",
    );
  }
  return problems;
}

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const raw: Record<string, string | undefined> = { ...source };
  const production = raw.NODE_ENV === "production";
  if (production) {
    const problems = productionProblems(raw);
    if (problems.length) throw new Error(`Refusing to start in production:\n- ${problems.join("\n- ")}`);
  } else {
    if (!raw.NEXTAUTH_SECRET || !raw.TOKEN_ENCRYPTION_KEY) {
      const s = devSecrets();
      raw.NEXTAUTH_SECRET ||= s.NEXTAUTH_SECRET;
      raw.TOKEN_ENCRYPTION_KEY ||= s.TOKEN_ENCRYPTION_KEY;
    }
    // `npm run dev` on another port still gets OAuth redirects (and the sandbox) right.
    raw.NEXTAUTH_URL ||= `http://localhost:${raw.PORT || 3000}`;
  }
  // A client id alone would send every accountant to Fortnox's consent page and fail only at the code exchange.
  if (raw.FORTNOX_CLIENT_ID && !raw.FORTNOX_CLIENT_SECRET) {
    throw new Error("FORTNOX_CLIENT_ID is set but FORTNOX_CLIENT_SECRET is not (see README, \"Real Fortnox\").");
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const names = parsed.error.issues.map((i) => i.path.join(".")).join(", ");
    throw new Error(`Invalid environment: ${names}`);
  }
  return parsed.data;
}

let cached: Env | undefined;
/** Read lazily: `next build` imports modules without the runtime secrets. */
export function env(): Env {
  if (!cached) {
    cached = loadEnv();
    // What NextAuth reads from process.env directly.
    process.env.NEXTAUTH_SECRET ||= cached.NEXTAUTH_SECRET;
    if (cached.NEXTAUTH_URL) process.env.NEXTAUTH_URL ||= cached.NEXTAUTH_URL;
  }
  return cached;
}

/** No Fortnox client id configured → the app talks to its built-in sandbox. */
export function isSandboxMode(e: Env = env()): boolean {
  return !e.FORTNOX_CLIENT_ID;
}

/**
 * Who the app is at its mounted sandbox. The secret is derived from this installation's NEXTAUTH_SECRET (so every
 * instance sharing it agrees, and nothing more is stored), never the published default of `npm run sandbox`: with
 * that one anyone could get tokens for the sandbox's companies and read what the firms exported into them.
 */
export function mountedSandboxClient(e: Env, raw: Record<string, string | undefined> = process.env): { clientId: string; clientSecret: string } {
  return {
    clientId: raw.SANDBOX_CLIENT_ID || "sandbox-client",
    clientSecret: raw.SANDBOX_CLIENT_SECRET || createHmac("sha256", e.NEXTAUTH_SECRET).update("mounted-sandbox-client-secret").digest("base64url"),
  };
}
