// Runs NextAuth on a plain fetch Request. next-auth 4's App Router handler reads next/headers, which exists only inside
// a Next request; its API-route form takes plain objects, so the same core runs in route handlers and in tests.

import NextAuth, { type NextAuthOptions } from "next-auth";

export function parseCookies(header: string | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i < 0) continue;
    const name = part.slice(0, i).trim();
    if (!name || name in out) continue;
    const raw = part.slice(i + 1).trim().replace(/^"(.*)"$/, "$1");
    try {
      out[name] = decodeURIComponent(raw);
    } catch {
      out[name] = raw;
    }
  }
  return out;
}

async function readBody(req: Request): Promise<Record<string, unknown> | undefined> {
  if (req.method !== "POST") return undefined;
  const type = req.headers.get("content-type") ?? "";
  if (type.includes("application/json")) return (await req.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (type.includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(await req.text()));
  return undefined;
}

/** `segments`: the [...nextauth] part of the path, e.g. ["callback", "fortnox"]. */
export async function runNextAuth(req: Request, segments: string[], options: NextAuthOptions): Promise<Response> {
  const url = new URL(req.url);
  const query: Record<string, unknown> = Object.fromEntries(url.searchParams);
  query.nextauth = segments;
  const apiReq = {
    method: req.method,
    query,
    body: await readBody(req),
    cookies: parseCookies(req.headers.get("cookie")),
    headers: Object.fromEntries(req.headers),
  };
  let status = 200;
  let body: string | null = null;
  const headers = new Headers();
  const apiRes = {
    status(code: number) {
      status = code;
      return apiRes;
    },
    setHeader(name: string, value: string | string[]) {
      headers.delete(name);
      for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
      return apiRes;
    },
    getHeader(name: string) {
      if (name.toLowerCase() === "set-cookie") return headers.getSetCookie();
      return headers.get(name) ?? undefined;
    },
    json(data: unknown) {
      headers.set("Content-Type", "application/json");
      body = JSON.stringify(data);
    },
    send(data: unknown) {
      if (typeof data === "string" || data === undefined || data === null) body = (data as string | undefined) ?? null;
      else {
        if (!headers.has("Content-Type")) headers.set("Content-Type", "application/json");
        body = JSON.stringify(data);
      }
    },
    end() {},
  };
  await (NextAuth as unknown as (q: unknown, s: unknown, o: NextAuthOptions) => Promise<unknown>)(apiReq, apiRes, options);
  return new Response(status === 302 || status === 204 ? null : body, { status, headers });
}
