// One request of the Fortnox client: its URL, its per-attempt deadline, which failed streams may be sent again, and
// reading the answer against a schema.

import type { z } from "zod";
import { FortnoxApiError, FortnoxNetworkError } from "./errors";
import type { Query } from "./client-options";

export function buildUrl(apiUrl: string, path: string, query?: Query): string {
  const base = apiUrl.replace(/\/+$/, "");
  const p = path.replace(/^\/+/, "");
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null || v === "") continue;
    params.set(k, String(v));
  }
  // URLSearchParams writes a space as "+"; Fortnox wants %20 (lastmodified=YYYY-MM-DD%20HH:MM). A literal "+" is
  // already %2B, so every "+" left is a space.
  const qs = params.toString().replace(/\+/g, "%20");
  return `${base}/${p}${qs ? (p.includes("?") ? "&" : "?") + qs : ""}`;
}

/** A per-attempt timer that aborts the request; re-armable for stream idle timeouts. */
export class Deadline {
  timedOut = false;
  private t: ReturnType<typeof setTimeout> | null = null;
  constructor(
    private readonly ac: AbortController,
    private readonly ms: number,
  ) {}
  arm(ms = this.ms): void {
    this.clear();
    this.t = setTimeout(() => {
      this.timedOut = true;
      this.ac.abort();
    }, ms);
  }
  clear(): void {
    if (this.t) clearTimeout(this.t);
    this.t = null;
  }
}

export interface RequestSpec {
  method: "GET" | "POST";
  path: string;
  query?: Query;
  /** Built per attempt: a consumed body cannot be sent twice. */
  body?: () => { body: BodyInit; contentType?: string };
  /** A byte stream (SIE): no JSON headers, the first-byte timeout, and retries only after definite refusals. */
  stream?: boolean;
}

/**
 * Which failures of a stream request may be sent again. Every SIE request makes Fortnox build the file from the
 * start, and a request we gave up on may still be building on Fortnox's side: repeating it then doubles the work and
 * waits the whole time again. So a stream is repeated only when Fortnox is certainly not working on it:
 * - it never got the request: DNS failure or connection refused;
 * - it refused the request before starting: 429 (rate limit), 503 (unavailable);
 * - its work ended in an error: 500, 502 (the gateway lost the backend's answer; nothing comes back to us).
 * Not repeated: our timeout, a reset or an abort while waiting (the request may be in the works), and 504 (the
 * gateway stopped waiting, the backend may not have). Those fail the download; the user starts it again.
 */
export function definiteFailure(err: Error, status?: number): boolean {
  if (status !== undefined) return status === 429 || status === 500 || status === 502 || status === 503;
  return err instanceof FortnoxNetworkError && (err.kind === "dns" || err.kind === "connect");
}

export type Consumed<T> = { value: T; keepAlive?: boolean };

/**
 * The text of an answer in the charset its Content-Type declares (UTF-8 when none or an unknown one is declared;
 * a byte-order mark wins over the label and is dropped). `Response.text()` always reads UTF-8, which turns a Latin-1
 * "är" into U+FFFD and breaks the match of Fortnox's error texts (docs/fortnox-api.md §2, "Error shapes").
 */
export function decodeBody(bytes: Uint8Array, contentType: string | null): string {
  let label = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? "")?.[1] ?? "utf-8";
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) label = "utf-8";
  else if ((bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0xff && bytes[1] === 0xfe)) label = bytes[0] === 0xfe ? "utf-16be" : "utf-16le";
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label);
  } catch {
    decoder = new TextDecoder("utf-8");
  }
  return decoder.decode(bytes);
}

export async function readBodyText(res: Response): Promise<string> {
  return decodeBody(new Uint8Array(await res.arrayBuffer()), res.headers.get("content-type"));
}

export function lowerKeyLookup(obj: unknown, key: string): unknown {
  if (!obj || typeof obj !== "object") return undefined;
  const rec = obj as Record<string, unknown>;
  if (key in rec) return rec[key];
  const lk = key.toLowerCase();
  for (const k of Object.keys(rec)) if (k.toLowerCase() === lk) return rec[k];
  return undefined;
}

export function unexpected(status: number, method: string, path: string, what: string): FortnoxApiError {
  return new FortnoxApiError({
    status,
    kind: "unexpected_response",
    message: `Fortnox ${method} ${path}: ${what}`,
  });
}

export function parseWith<S extends z.ZodType>(schema: S, data: unknown, status: number, method: string, path: string) {
  const r = schema.safeParse(data);
  if (r.success) return r.data as z.output<S>;
  // Issue paths and messages only: values may carry customer data.
  const issues = r.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
    .join("; ");
  throw unexpected(status, method, path, `response does not match schema (${issues})`);
}
