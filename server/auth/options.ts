import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDb } from "@/db/client";
import { env, type Env } from "@/server/env";
import { DomainError } from "@/server/errors";
import { fortnoxConfigFromEnv, type FortnoxConfig } from "@/server/connections/config";
import { fortnoxProvider, FORTNOX_PROVIDER_ID, type FortnoxCallback } from "./fortnox-provider";
import { clientIp } from "./client-ip";
import { sameOriginPath } from "./safe-redirect";
import { verifyCredentials } from "./users";

let cached: NextAuthOptions | undefined;

/**
 * NextAuth's own logging with the metadata dropped: its OAuth paths log whole objects on errors and in debug mode,
 * and nothing that came from Fortnox may reach a log line.
 */
function messageOf(meta: unknown): string {
  const err = meta instanceof Error ? meta : (meta as { error?: unknown } | undefined)?.error;
  // Messages only (ours never carry a token; Fortnox's error_description is a sentence), never whole objects.
  return err instanceof Error ? `: ${err.message.slice(0, 200)}` : "";
}

const logger: NextAuthOptions["logger"] = {
  error: (code, meta) => console.error(`[next-auth] ${code}${messageOf(meta)}`),
  warn: (code) => console.warn(`[next-auth] ${code}`),
  debug: () => {},
};

/** The options for every request; `fortnoxCallback` is set only while handling one Fortnox OAuth callback. */
export function buildAuthOptions(e: Env, fortnox: FortnoxConfig, fortnoxCallback?: FortnoxCallback): NextAuthOptions {
  return {
    secret: e.NEXTAUTH_SECRET,
    debug: false,
    logger,
    session: { strategy: "jwt", maxAge: e.SESSION_MAX_AGE_SECONDS },
    jwt: { maxAge: e.SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/signin" },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "E-post och lösenord",
        credentials: { email: { type: "email" }, password: { type: "password" } },
        async authorize(credentials, req) {
          if (!credentials?.email || !credentials.password) return null;
          try {
            const source = clientIp(req?.headers ?? {}, e.TRUSTED_PROXY_HOPS);
            const user = await verifyCredentials(await getDb(), credentials.email, credentials.password, { source });
            return user ? { id: user.id, name: user.name, email: user.email } : null;
          } catch (err) {
            // NextAuth passes the message through to the sign-in form, which translates it ("key:minutes").
            if (err instanceof DomainError) throw new Error(err.params.minutes ? `${err.key}:${err.params.minutes}` : err.key);
            throw err;
          }
        },
      }),
      fortnoxProvider(fortnox, fortnoxCallback),
    ],
    callbacks: {
      // Fortnox is not a way to sign in: its callback stores a connection and answers with a redirect URL, so
      // NextAuth issues no session and the accountant stays signed in as themselves.
      async signIn({ account }) {
        if (account?.provider !== FORTNOX_PROVIDER_ID) return true;
        return fortnoxCallback ? fortnoxCallback.complete() : false;
      },
      // Every callbackUrl (query parameter or cookie) passes the app's one redirect check.
      redirect({ url, baseUrl }) {
        return `${baseUrl}${sameOriginPath(url, baseUrl) ?? "/"}`;
      },
      // Only the user id goes into the session token; firm membership is read from the database per request.
      jwt({ token, user }) {
        if (user) token.sub = user.id;
        return token;
      },
      session({ session, token }) {
        return { ...session, user: { id: token.sub, name: session.user?.name, email: session.user?.email } } as typeof session;
      },
    },
  };
}

/** Built lazily so that `next build` does not need the runtime secrets. */
export function authOptions(): NextAuthOptions {
  if (cached) return cached;
  const e = env();
  cached = buildAuthOptions(e, fortnoxConfigFromEnv(e));
  return cached;
}
