// Cross-site request forgery: a write is accepted only from the app's own pages. Browsers send Origin with every
// POST made by fetch or a form; when it is missing, Sec-Fetch-Site (sent by every current browser) must say
// same-origin. A request with neither is not from a browser page of ours and is refused too.

/** The origins the app's pages are served from: NEXTAUTH_URL, and the origin the request itself was made to. */
function appOrigins(req: Request, appUrl: string | undefined): Set<string> {
  const out = new Set<string>([new URL(req.url).origin]);
  if (appUrl) {
    try {
      out.add(new URL(appUrl).origin);
    } catch {
      // An invalid NEXTAUTH_URL is refused at start (server/env.ts).
    }
  }
  return out;
}

export function isSameOriginWrite(req: Request, appUrl: string | undefined = process.env.NEXTAUTH_URL): boolean {
  const origin = req.headers.get("origin");
  if (origin !== null) return appOrigins(req, appUrl).has(origin);
  return req.headers.get("sec-fetch-site") === "same-origin";
}

/** Whether the body is JSON by its media type (parameters such as charset allowed). */
export function isJsonBody(req: Request): boolean {
  return (req.headers.get("content-type") ?? "").split(";", 1)[0].trim().toLowerCase() === "application/json";
}
