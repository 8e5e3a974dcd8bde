import { randomBytes } from "node:crypto";
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

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const raw: Record<string, string | undefined> = { ...source };
  const production = raw.NODE_ENV === "production";
  if (production) {
    const missing = REQUIRED_IN_PRODUCTION.filter((k) => !raw[k] && !(k === "DATABASE_URL" && raw.EMBEDDED_DB === "1"));
    if (missing.length) {
      throw new Error(`Refusing to start in production: set ${missing.join(", ")} (see README, "Configuration").`);
    }
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
