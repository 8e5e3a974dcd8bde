import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDb } from "@/db/client";
import { env } from "@/server/env";
import { DomainError } from "@/server/errors";
import { verifyCredentials } from "./users";

let cached: NextAuthOptions | undefined;

/** Built lazily so that `next build` does not need the runtime secrets. */
export function authOptions(): NextAuthOptions {
  if (cached) return cached;
  const e = env();
  cached = {
    secret: e.NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: e.SESSION_MAX_AGE_SECONDS },
    jwt: { maxAge: e.SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/signin" },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "E-post och lösenord",
        credentials: { email: { type: "email" }, password: { type: "password" } },
        async authorize(credentials) {
          if (!credentials?.email || !credentials.password) return null;
          try {
            const user = await verifyCredentials(await getDb(), credentials.email, credentials.password);
            return user ? { id: user.id, name: user.name, email: user.email } : null;
          } catch (err) {
            // NextAuth passes the message through to the sign-in form, which translates it.
            if (err instanceof DomainError) throw new Error(err.key);
            throw err;
          }
        },
      }),
    ],
    callbacks: {
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
  return cached;
}
