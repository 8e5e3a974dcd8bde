// GET /api/auth/callback/fortnox: Fortnox sends the browser back here after the consent page. Checked in this order,
// each refusal storing nothing: a signed-in session; the connect attempt named by the httpOnly cookie (this user's,
// unused — it is used up now —, unexpired, its client in the user's firm); NextAuth's `state`; Fortnox's own error
// (consent denied); then NextAuth runs the exchange and our signIn callback stores the connection and returns the
// redirect, so no session is issued.

import type { NextAuthOptions } from "next-auth";
import { decode, getToken } from "next-auth/jwt";
import type { Db } from "@/db/client";
import { logActivity } from "@/server/activity/log";
import { ATTEMPT_COOKIE, ATTEMPT_COOKIE_PATH, claimConnectAttempt, completeConnect, ConnectFailure, finishAttempt, type ConnectOutcome } from "@/server/connections/connect";
import { fortnoxErrorKey } from "@/server/connections/errors";
import type { ConnectionRuntime } from "@/server/connections/runtime";
import type { Env } from "@/server/env";
import type { TokenSet } from "@/server/fortnox/oauth";
import type { FortnoxCallback } from "./fortnox-provider";
import { parseCookies, runNextAuth } from "./next-auth-http";
import { buildAuthOptions } from "./options";

export interface FortnoxCallbackDeps {
  db: Db;
  runtime: ConnectionRuntime;
  env: Env;
  now?: () => Date;
}

const STATE_COOKIE = "next-auth.state";

function redirect(location: string, cookies: string[]): Response {
  const headers = new Headers({ Location: location, "Cache-Control": "no-store" });
  for (const c of cookies) headers.append("Set-Cookie", c);
  return new Response(null, { status: 302, headers });
}

export async function handleFortnoxCallback(req: Request, deps: FortnoxCallbackDeps): Promise<Response> {
  const { db, runtime } = deps;
  const now = deps.now ?? (() => new Date());
  const url = new URL(req.url);
  const appUrl = runtime.config.appUrl;
  const secure = appUrl.startsWith("https://");
  const cookies = parseCookies(req.headers.get("cookie"));
  const secret = deps.env.NEXTAUTH_SECRET;
  const stateCookieName = `${secure ? "__Secure-" : ""}${STATE_COOKIE}`;
  // Whatever happens, the attempt cookie has done its job.
  const outCookies = [`${ATTEMPT_COOKIE}=; Path=${ATTEMPT_COOKIE_PATH}; Max-Age=0; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`];
  const page = (clientId: string | undefined, param: string, value: string) =>
    `${appUrl}${clientId ? `/clients/${clientId}/connection` : "/connections"}?${param}=${encodeURIComponent(value)}`;

  const token = await getToken({ req: { headers: Object.fromEntries(req.headers), cookies } as never, secret, secureCookie: secure });
  const claim = await claimConnectAttempt(db, cookies[ATTEMPT_COOKIE], token?.sub ?? null, now());
  if (!claim.ok) return redirect(page(claim.clientId, "error", claim.key), outCookies);
  const attempt = claim.attempt;

  const fail = async (key: string, extraCookies: string[] = []) => {
    await finishAttempt(db, attempt.id, key);
    await logActivity(db, { firmId: attempt.firmId, clientId: attempt.clientId, userId: attempt.userId, action: "fortnox.connectFailed", outcome: "failure", details: { error: key } });
    // From the export's extra consent: the connection page's back link returns to that project.
    const project = /^\/projects\/([0-9a-f-]{36})\//.exec(attempt.returnTo ?? "")?.[1];
    return redirect(`${page(attempt.clientId, "error", key)}${project ? `&projectId=${project}` : ""}`, [...outCookies, ...extraCookies]);
  };

  // The state NextAuth put in its cookie at sign-in must come back unchanged (also for Fortnox's error answers).
  const state = url.searchParams.get("state");
  const stateCookie = cookies[stateCookieName];
  const decoded = stateCookie ? await decode({ token: stateCookie, secret, salt: stateCookieName }).catch(() => null) : null;
  if (!state || !decoded || decoded.value !== state || decoded.provider !== "fortnox") return fail("fortnoxStateInvalid");
  const clearState = `${stateCookieName}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;

  // invalid_scope comes before any login: our app asked for a scope its registration at Fortnox lacks.
  const oauthError = url.searchParams.get("error");
  if (oauthError) {
    const key = oauthError === "access_denied" ? "fortnoxConsentDenied" : oauthError === "invalid_scope" ? "fortnoxInvalidScope" : "fortnoxRefused";
    return fail(key, [clearState]);
  }

  let tokens: TokenSet | null = null;
  let failure: string | null = null;
  let outcome: ConnectOutcome | null = null;
  const hooks: FortnoxCallback = {
    refuse(key) {
      failure ??= key;
    },
    async exchange(code) {
      try {
        tokens = await runtime.oauth.exchangeCode({ code, redirectUri: runtime.config.redirectUri });
      } catch (err) {
        // invalid_grant here means a stale (10 minutes) or already used code.
        failure ??= fortnoxErrorKey(err);
        throw new Error(`code exchange failed (${failure})`);
      }
    },
    async complete() {
      const granted = tokens;
      tokens = null;
      if (!granted) {
        failure ??= "fortnoxCallbackFailed";
        return page(attempt.clientId, "error", failure);
      }
      try {
        outcome = await completeConnect(db, runtime, attempt, granted);
        return page(attempt.clientId, "fortnox", outcome.status);
      } catch (err) {
        failure ??= err instanceof ConnectFailure ? err.key : "internal";
        if (failure === "internal") console.error(`fortnox connect for client ${attempt.clientId} failed: ${(err as Error)?.message}`);
        return page(attempt.clientId, "error", failure);
      }
    },
  };
  const res = await runNextAuth(req, ["callback", "fortnox"], buildAuthOptions(deps.env, runtime.config, hooks) satisfies NextAuthOptions);
  const nextAuthCookies = res.headers.getSetCookie();
  const done = outcome as ConnectOutcome | null;
  if (done) {
    await finishAttempt(db, attempt.id, done.status);
    // The extra consent of an export goes back to the export; a connection awaiting confirmation to its page.
    const back = done.status === "connected" && attempt.returnTo?.startsWith("/projects/") ? `${appUrl}${attempt.returnTo}?fortnox=connected` : null;
    return redirect(back ?? page(attempt.clientId, "fortnox", done.status), [...outCookies, ...nextAuthCookies]);
  }
  return fail(failure ?? "fortnoxCallbackFailed", [...nextAuthCookies, clearState]);
}
