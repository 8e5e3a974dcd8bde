// The HTTP client for the Fortnox API: rate limit, timeouts, retries for idempotent requests, error
// typing, paging and byte streams. Nothing else in the product sends requests to api.fortnox.se.
// Long (~320 lines) because it is one closure: every verb shares the limiter, counters and retry policy of
// execute(); the options and the per-request parts live in client-options.ts and http-request.ts.

import type { z } from "zod";
import { FortnoxError, FortnoxNetworkError } from "./errors";
import { apiErrorFromResponse, networkErrorFrom, parseRetryAfter } from "./error-answers";
import { defaultLimiterRegistry } from "./limiter";
import {
  createCounters,
  type FortnoxClient,
  type FortnoxClientOptions,
  type PageOptions,
  type Query,
  type UploadFile,
} from "./client-options";
import {
  buildUrl,
  type Consumed,
  Deadline,
  definiteFailure,
  lowerKeyLookup,
  parseWith,
  readBodyText,
  type RequestSpec,
  unexpected,
} from "./http-request";

export * from "./client-options";
export { buildUrl } from "./http-request";

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function createFortnoxClient(opts: FortnoxClientOptions): FortnoxClient {
  const fetchImpl = opts.fetch ?? fetch;
  const limiter = opts.limiter ?? defaultLimiterRegistry.get(opts.limiterKey);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const firstByteTimeoutMs = opts.streamFirstByteTimeoutMs ?? 10 * 60_000;
  const retries = opts.retries ?? 5;
  const sleep = opts.sleep ?? defaultSleep;
  const base = opts.backoffBaseMs ?? 1_000;
  const cap = opts.backoffMaxMs ?? 30_000;
  const maxRetryAfter = opts.maxRetryAfterMs ?? 120_000;
  const random = opts.random ?? Math.random;
  const counters = opts.counters ?? createCounters();
  const hooks = opts.hooks ?? {};

  const backoff = (attempt: number) => {
    const full = Math.min(cap, base * 2 ** (attempt - 1));
    return Math.round(full / 2 + (random() * full) / 2);
  };

  async function execute<T>(
    spec: RequestSpec,
    consume: (res: Response, deadline: Deadline, ac: AbortController) => Promise<Consumed<T>>,
  ): Promise<T> {
    const idempotent = spec.method === "GET";
    const url = buildUrl(opts.apiUrl, spec.path, spec.query);
    let attempt = 0;
    let authRefreshed = false;
    let token: string | undefined;

    const retryOrThrow = async (err: Error, reason: string, delayMs?: number, status?: number): Promise<void> => {
      if (!idempotent || attempt >= retries) throw err;
      if (spec.stream && !definiteFailure(err, status)) throw err;
      attempt++;
      counters.retries++;
      const d = delayMs ?? backoff(attempt);
      hooks.onRetry?.({ method: spec.method, path: spec.path, attempt, delayMs: d, reason });
      if (delayMs === undefined) await sleep(d);
    };

    for (;;) {
      const built = spec.body?.();
      // The slot counts until the answer arrives: Fortnox counts the request on arrival, which is no later.
      const release = await limiter.acquire({ untilReleased: true });
      try {
        token ??= await opts.getAccessToken();
      } catch (err) {
        release();
        throw err;
      }
      const ac = new AbortController();
      // A stream's attempt lasts until its first byte; then the consumer re-arms the deadline as an idle timeout.
      const deadline = new Deadline(ac, spec.stream ? firstByteTimeoutMs : timeoutMs);
      const headers: Record<string, string> = {
        Authorization: `Bearer ${token}`,
        // Fortnox refuses a JSON Accept on the SIE download (error 1000030, "Invalid response type (Accept)").
        Accept: spec.stream ? "*/*" : "application/json",
      };
      // Multipart bodies get their boundary from fetch; everything else is JSON (Fortnox wants the header even on
      // GET), except a stream, which is no JSON either way.
      if (!spec.stream && (!built || built.contentType)) headers["Content-Type"] = built?.contentType ?? "application/json";
      counters.requests++;
      const started = Date.now();
      deadline.arm();
      let res: Response;
      try {
        res = await fetchImpl(url, { method: spec.method, headers, body: built?.body, signal: ac.signal });
      } catch (err) {
        release();
        deadline.clear();
        counters.networkErrors++;
        await retryOrThrow(networkErrorFrom(err, spec.method, deadline.timedOut), "network");
        continue;
      }
      release();
      hooks.onResponse?.({
        method: spec.method,
        path: spec.path,
        status: res.status,
        ms: Date.now() - started,
        attempt,
      });

      if (res.ok) {
        let keepAlive = false;
        try {
          const out = await consume(res, deadline, ac);
          keepAlive = out.keepAlive ?? false;
          return out.value;
        } catch (err) {
          if (err instanceof FortnoxError) throw err;
          // Failure while reading a successful body (reset, timeout mid-body).
          counters.networkErrors++;
          await retryOrThrow(networkErrorFrom(err, spec.method, deadline.timedOut), "network (body)");
          continue;
        } finally {
          if (!keepAlive) deadline.clear();
        }
      }

      let bodyText = "";
      try {
        bodyText = await readBodyText(res);
      } catch {
        // The error body is only informative; the status decides.
      } finally {
        deadline.clear();
      }
      if (res.status === 401 && opts.onUnauthorized && !authRefreshed) {
        // A 401 was rejected before any processing, so repeating even a POST cannot duplicate it.
        authRefreshed = true;
        counters.unauthorizedRefreshes++;
        token = await opts.onUnauthorized();
        continue;
      }
      const retryAfterRaw = parseRetryAfter(res.headers.get("retry-after"));
      const retryAfterMs = retryAfterRaw === undefined ? undefined : Math.min(retryAfterRaw, maxRetryAfter);
      const err = apiErrorFromResponse({ status: res.status, bodyText, method: spec.method, retryAfterMs });
      if (res.status === 429) {
        counters.http429++;
        // The window belongs to the whole tenant: hold every caller of this key, not just this one.
        const wait = retryAfterMs ?? backoff(attempt + 1);
        limiter.pause(wait);
        await retryOrThrow(err, "429", wait, 429);
        continue;
      }
      if (res.status >= 500) {
        counters.http5xx++;
        await retryOrThrow(err, `http ${res.status}`, undefined, res.status);
        continue;
      }
      throw err;
    }
  }

  async function readJson(res: Response, method: string, path: string): Promise<Consumed<unknown>> {
    const text = await readBodyText(res);
    if (text.trim() === "") return { value: {} };
    try {
      return { value: JSON.parse(text) };
    } catch {
      throw unexpected(res.status, method, path, "response is not JSON");
    }
  }

  async function getJson<S extends z.ZodType>(path: string, query: Query | undefined, schema: S) {
    const data = await execute({ method: "GET", path, query }, (res) => readJson(res, "GET", path));
    return parseWith(schema, data, 200, "GET", path);
  }

  async function getAllPages<S extends z.ZodType>(
    path: string,
    query: Query | undefined,
    key: string | readonly string[],
    itemSchema: S,
    pageOpts: PageOptions = {},
  ): Promise<z.output<S>[]> {
    const limit = pageOpts.limit ?? 500;
    const maxPages = pageOpts.maxPages ?? 10_000;
    const out: z.output<S>[] = [];
    let totalPages = 1;
    for (let page = 1; page <= totalPages; page++) {
      if (page > maxPages) throw unexpected(200, "GET", path, `more than ${maxPages} pages`);
      const data = await execute({ method: "GET", path, query: { ...query, limit, page } }, (res) =>
        readJson(res, "GET", path),
      );
      // Some lists go by more than one name (VoucherSeriesCollection vs VoucherSeries): first present wins.
      const keys = typeof key === "string" ? [key] : key;
      const found = keys.map((k) => lowerKeyLookup(data, k)).find((v) => v !== undefined);
      // A list sent as null holds nothing (docs/fortnox-api.md §3); a missing key is still an unreadable answer.
      const list = found === null ? [] : found;
      if (!Array.isArray(list)) throw unexpected(200, "GET", path, `no "${keys.join("|")}" array in page ${page}`);
      // Missing MetaInformation means everything came in one page; otherwise never stop early.
      const meta = lowerKeyLookup(data, "MetaInformation");
      // A page that says it is another one (a proxy or a server that ignored `page`) would count its items twice.
      const current = lowerKeyLookup(meta, "@CurrentPage");
      if (current !== undefined && current !== null && current !== "" && Number(current) !== page) {
        throw unexpected(200, "GET", path, `asked for page ${page}, got @CurrentPage ${String(current)}`);
      }
      list.forEach((item, i) => out.push(parseWith(itemSchema, item, 200, "GET", `${path}[page ${page}, #${i}]`)));
      const announced = Number(lowerKeyLookup(meta, "@TotalPages"));
      if (Number.isInteger(announced) && announced > totalPages) totalPages = announced;
    }
    return out;
  }

  async function getStream(path: string, query?: Query): Promise<AsyncIterable<Uint8Array>> {
    const method = "GET";
    // The first chunk is read inside the retry loop: until a byte arrived, a failure is retried.
    interface Opened {
      reader: ReadableStreamDefaultReader<Uint8Array> | null;
      first: ReadableStreamReadResult<Uint8Array> | null;
      ac: AbortController;
      deadline: Deadline;
      expected: number;
    }
    const opened = execute<Opened>({ method, path, query, stream: true }, async (res, dl, ac) => {
      if (!res.body) return { value: { reader: null, first: null, ac, deadline: dl, expected: 0 } };
      const reader = res.body.getReader();
      const first = await reader.read();
      dl.clear();
      const lenHeader = res.headers.get("content-length");
      const len = lenHeader === null ? NaN : Number(lenHeader);
      const encoded = (res.headers.get("content-encoding") ?? "identity") !== "identity";
      return {
        value: { reader, first, ac, deadline: dl, expected: Number.isFinite(len) && !encoded ? len : -1 },
        keepAlive: true,
      };
    }).catch((err: unknown) => {
      // Our patience ran out before Fortnox had the file ready: say so, rather than "did not answer in time".
      if (err instanceof FortnoxNetworkError && err.kind === "timeout") {
        throw new FortnoxNetworkError({
          kind: "first_byte_timeout",
          method,
          maybeCommitted: false,
          message: `Fortnox GET ${path}: no byte within ${Math.round(firstByteTimeoutMs / 1000)} s`,
          cause: err,
          params: { minutes: Math.max(1, Math.round(firstByteTimeoutMs / 60_000)) },
        });
      }
      throw err;
    });
    const { reader, first, ac, deadline, expected } = await opened;

    async function* gen(): AsyncGenerator<Uint8Array> {
      if (!reader || !first || first.done) return;
      let received = first.value.byteLength;
      let finished = false;
      try {
        counters.bytesStreamed += first.value.byteLength;
        yield first.value;
        for (;;) {
          let r: ReadableStreamReadResult<Uint8Array>;
          deadline.arm(timeoutMs); // idle timeout, only while waiting for the network
          try {
            r = await reader.read();
          } catch (err) {
            throw networkErrorFrom(err, method, deadline.timedOut);
          } finally {
            deadline.clear();
          }
          if (r.done) break;
          received += r.value.byteLength;
          counters.bytesStreamed += r.value.byteLength;
          yield r.value;
        }
        if (expected >= 0 && received !== expected) {
          throw new FortnoxNetworkError({
            kind: "reset",
            method,
            maybeCommitted: false,
            message: `Fortnox GET ${path}: stream ended after ${received} of ${expected} bytes`,
          });
        }
        finished = true;
      } finally {
        deadline.clear();
        if (!finished) ac.abort(); // consumer stopped early or failed: release the socket
      }
    }
    return gen();
  }

  async function postJson<S extends z.ZodType>(path: string, query: Query | undefined, body: unknown, schema: S) {
    const json = JSON.stringify(body);
    const data = await execute(
      { method: "POST", path, query, body: () => ({ body: json, contentType: "application/json" }) },
      (res) => readJson(res, "POST", path),
    );
    return parseWith(schema, data, 201, "POST", path);
  }

  async function postMultipart(
    path: string,
    query: Query | undefined,
    file: UploadFile,
    fieldName = "file",
    schema?: z.ZodType,
  ): Promise<unknown> {
    const data = await execute(
      {
        method: "POST",
        path,
        query,
        body: () => {
          const form = new FormData();
          const blob = new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.contentType });
          form.append(fieldName, blob, file.name);
          return { body: form };
        },
      },
      (res) => readJson(res, "POST", path),
    );
    return schema ? parseWith(schema, data, 201, "POST", path) : data;
  }

  return {
    counters,
    getJson,
    getAllPages,
    getStream,
    postJson,
    postMultipart: postMultipart as FortnoxClient["postMultipart"],
  };
}
