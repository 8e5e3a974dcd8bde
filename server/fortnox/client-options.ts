// What a Fortnox client is given (options, hooks, counters) and what it offers (FortnoxClient); http.ts builds it.

import type { z } from "zod";
import type { SlidingWindowLimiter } from "./limiter";

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface FortnoxCounters {
  /** HTTP attempts sent (each retry counts). */
  requests: number;
  http429: number;
  http5xx: number;
  networkErrors: number;
  /** Attempts repeated after a 429, 5xx or network error. */
  retries: number;
  /** Requests repeated once with a fresh token after a 401. */
  unauthorizedRefreshes: number;
  bytesStreamed: number;
}

export function createCounters(): FortnoxCounters {
  return {
    requests: 0,
    http429: 0,
    http5xx: 0,
    networkErrors: 0,
    retries: 0,
    unauthorizedRefreshes: 0,
    bytesStreamed: 0,
  };
}

export interface FortnoxClientHooks {
  onResponse?(e: { method: string; path: string; status: number; ms: number; attempt: number }): void;
  onRetry?(e: { method: string; path: string; attempt: number; delayMs: number; reason: string }): void;
}

export interface FortnoxClientOptions {
  apiUrl: string;
  getAccessToken: () => Promise<string>;
  /** Called once after a 401 to force a refresh; the request is then repeated once with the new token. */
  onUnauthorized?: () => Promise<string>;
  /** Connection id: one rate limiter per key. */
  limiterKey: string;
  /** Override the registry's limiter (tests, benchmarks). */
  limiter?: SlidingWindowLimiter;
  fetch?: typeof fetch;
  /** Per attempt, until the response body is read; for streams, the longest silence between chunks once bytes flow. */
  timeoutMs?: number;
  /**
   * How long a stream (the SIE download) may take to send its first byte. Fortnox builds the whole SIE file before
   * it sends anything, which for a big year takes minutes. Default 10 minutes.
   */
  streamFirstByteTimeoutMs?: number;
  /** Extra attempts for idempotent requests after 429, 5xx or network errors. */
  retries?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Exponential backoff: base × 2^(n-1), capped, with jitter in [½, 1] of that. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Longest Retry-After we honour as sent; longer values are capped. */
  maxRetryAfterMs?: number;
  random?: () => number;
  counters?: FortnoxCounters;
  hooks?: FortnoxClientHooks;
}

export interface UploadFile {
  name: string;
  bytes: Uint8Array;
  contentType: string;
}

export interface PageOptions {
  /** Page size; Fortnox caps at 500 (and may cap silently: we follow @TotalPages regardless). */
  limit?: number;
  /** Safety stop against a server that keeps announcing more pages. */
  maxPages?: number;
}

export interface FortnoxClient {
  readonly counters: FortnoxCounters;
  getJson<S extends z.ZodType>(path: string, query: Query | undefined, schema: S): Promise<z.output<S>>;
  getAllPages<S extends z.ZodType>(
    path: string,
    query: Query | undefined,
    key: string | readonly string[],
    itemSchema: S,
    opts?: PageOptions,
  ): Promise<z.output<S>[]>;
  getStream(path: string, query?: Query): Promise<AsyncIterable<Uint8Array>>;
  postJson<S extends z.ZodType>(path: string, query: Query | undefined, body: unknown, schema: S): Promise<z.output<S>>;
  postMultipart(path: string, query: Query | undefined, file: UploadFile, fieldName?: string): Promise<unknown>;
  postMultipart<S extends z.ZodType>(
    path: string,
    query: Query | undefined,
    file: UploadFile,
    fieldName: string,
    schema: S,
  ): Promise<z.output<S>>;
}
