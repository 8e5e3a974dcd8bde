import { NextResponse, type NextRequest } from "next/server";

/** Passes the requested path to server components, so a sign-in redirect can bring the user back to it. */
export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set("x-request-path", request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.next({ request: { headers } });
}

export const config = { matcher: ["/((?!api|_next|sandbox|favicon.ico).*)"] };
