import { NextResponse, type NextRequest } from "next/server";

/**
 * Every page: a Content-Security-Policy with a fresh nonce, and the requested path for server components (so a
 * sign-in redirect can bring the user back to it). Next.js reads the nonce from the request's CSP header and puts it
 * on its own scripts; 'strict-dynamic' lets those load the rest of the app, and nothing else runs: no inline script,
 * no other origin. Styles allow inline attributes (a progress bar's width) but nothing from elsewhere. Attachment
 * previews (app/api/…) keep their own, stricter policy; HSTS is in next.config.mjs.
 */
export function pageCsp(nonce: string, opts: { dev: boolean; https: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(opts.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString("base64");
  const csp = pageCsp(nonce, { dev: process.env.NODE_ENV === "development", https: (process.env.NEXTAUTH_URL ?? "").startsWith("https://") });
  const headers = new Headers(request.headers);
  headers.set("x-request-path", request.nextUrl.pathname + request.nextUrl.search);
  headers.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

export const config = { matcher: ["/((?!api|_next|sandbox|favicon.ico).*)"] };
