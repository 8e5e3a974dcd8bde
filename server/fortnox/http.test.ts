// Long (~480 lines): the HTTP client's contract (retries, timeouts, 429, streams, paging), each case against its own local server.
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import net from "node:net";
import { createFortnoxClient, type FortnoxClientOptions } from "./http";
import { FortnoxApiError, FortnoxNetworkError } from "./errors";
import { ManualClock, SlidingWindowLimiter } from "./limiter";
import { parseMultipart, readBody, sendJson, startServer, type Handler, type TestServer } from "./testing/http-server";

let servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function serve(handler: Handler) {
  const s = await startServer(handler);
  servers.push(s);
  return s;
}

function client(url: string, extra: Partial<FortnoxClientOptions> = {}) {
  return createFortnoxClient({
    apiUrl: `${url}/3`,
    getAccessToken: async () => "tok-1",
    limiterKey: "test",
    limiter: new SlidingWindowLimiter(),
    timeoutMs: 2_000,
    retries: 3,
    backoffBaseMs: 5,
    ...extra,
  });
}

const Any = z.unknown();
const Ok = z.object({ ok: z.literal(true) });

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected a rejection");
}

describe("fortnox http client", () => {
  it("sends bearer, JSON headers and parses with the schema", async () => {
    const s = await serve((req, res) => sendJson(res, 200, { ok: true, extra: 1 }));
    const c = client(s.url);
    expect(await c.getJson("/me", { a: 1, skip: undefined }, Ok)).toEqual({ ok: true });
    expect(s.hits[0].url).toBe("/3/me?a=1");
    expect(s.hits[0].headers.authorization).toBe("Bearer tok-1");
    expect(s.hits[0].headers.accept).toBe("application/json");
    expect(s.hits[0].headers["content-type"]).toBe("application/json");
  });

  it("GET: retries a 429 honouring Retry-After seconds", async () => {
    const s = await serve((req, res, n) =>
      n === 1 ? sendJson(res, 429, { message: "Too many" }, { "Retry-After": "1" }) : sendJson(res, 200, { ok: true }),
    );
    const c = client(s.url);
    const t0 = Date.now();
    await c.getJson("/x", {}, Ok);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(c.counters).toMatchObject({ requests: 2, http429: 1, retries: 1 });
  });

  it("GET: a 429 without Retry-After backs off and retries", async () => {
    const s = await serve((req, res, n) => (n <= 2 ? sendJson(res, 429, "") : sendJson(res, 200, { ok: true })));
    const delays: number[] = [];
    const c = client(s.url, { hooks: { onRetry: (e) => delays.push(e.delayMs) } });
    await c.getJson("/x", {}, Ok);
    expect(c.counters.http429).toBe(2);
    expect(delays.length).toBe(2);
    expect(delays[1]).toBeGreaterThanOrEqual(5); // 2nd backoff: 10ms × [½, 1]
  });

  it("a 429 pauses every caller of the same limiter", async () => {
    let first = true;
    const s = await serve((req, res) => {
      if (first && req.url?.includes("a")) {
        first = false;
        return sendJson(res, 429, {}, { "Retry-After": "1" });
      }
      sendJson(res, 200, { ok: true });
    });
    const limiter = new SlidingWindowLimiter();
    const a = client(s.url, { limiter });
    const b = client(s.url, { limiter });
    const t0 = Date.now();
    const pa = a.getJson("/a", {}, Ok);
    await new Promise((r) => setTimeout(r, 50));
    await b.getJson("/b", {}, Ok); // issued after the 429: must wait out the pause too
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    await pa;
  });

  it("GET: 5xx then success is retried", async () => {
    const s = await serve((req, res, n) => (n <= 2 ? sendJson(res, 503, "<html>busy</html>") : sendJson(res, 200, { ok: true })));
    const c = client(s.url);
    await c.getJson("/x", {}, Ok);
    expect(c.counters).toMatchObject({ requests: 3, http5xx: 2, retries: 2 });
  });

  it("GET: gives up after the retry budget with a typed error", async () => {
    const s = await serve((req, res) => sendJson(res, 502, "bad gateway"));
    const c = client(s.url, { retries: 2 });
    const err = await rejection(c.getJson("/x", {}, Ok));
    expect(err).toBeInstanceOf(FortnoxApiError);
    expect((err as FortnoxApiError).kind).toBe("server_error");
    expect((err as FortnoxApiError).maybeCommitted).toBe(false);
    expect(s.hits.length).toBe(3);
  });

  it("GET: a connection reset before the body is read is retried", async () => {
    const s = await serve((req, res, n) => (n === 1 ? req.socket.destroy() : sendJson(res, 200, { ok: true })));
    const c = client(s.url);
    await c.getJson("/x", {}, Ok);
    expect(c.counters.networkErrors).toBe(1);
    expect(s.hits.length).toBe(2);
  });

  it("GET: a reset in the middle of the body is retried", async () => {
    const s = await serve((req, res, n) => {
      if (n === 1) {
        res.writeHead(200, { "Content-Type": "application/json", "Content-Length": "100" });
        res.write('{"ok": tr');
        setTimeout(() => req.socket.destroy(), 20);
        return;
      }
      sendJson(res, 200, { ok: true });
    });
    const c = client(s.url);
    await c.getJson("/x", {}, Ok);
    expect(s.hits.length).toBe(2);
  });

  it("GET: a slow response times out and is retried", async () => {
    const s = await serve((req, res, n) => {
      if (n === 1) setTimeout(() => sendJson(res, 200, { ok: true }), 1_000);
      else sendJson(res, 200, { ok: true });
    });
    const c = client(s.url, { timeoutMs: 150 });
    await c.getJson("/x", {}, Ok);
    expect(c.counters.retries).toBe(1);
  });

  it("POST: never retried; reset after the body was read → maybeCommitted", async () => {
    const s = await serve(async (req) => {
      await readBody(req);
      req.socket.destroy();
    });
    const c = client(s.url);
    const err = await rejection(c.postJson("/vouchers", {}, { Voucher: {} }, Any));
    expect(err).toBeInstanceOf(FortnoxNetworkError);
    expect((err as FortnoxNetworkError).maybeCommitted).toBe(true);
    expect((err as FortnoxNetworkError).kind).toBe("reset");
    expect(s.hits.length).toBe(1);
    expect(c.counters.retries).toBe(0);
  });

  it("POST: reset before the body was read is still treated as maybe committed (fetch cannot tell)", async () => {
    const s = await serve((req) => req.socket.destroy());
    const c = client(s.url);
    const err = (await rejection(c.postJson("/vouchers", {}, { a: 1 }, Any))) as FortnoxNetworkError;
    expect(err.maybeCommitted).toBe(true);
    expect(s.hits.length).toBe(1);
  });

  it("POST: timeout → maybeCommitted, not retried", async () => {
    const s = await serve(async (req, res) => {
      await readBody(req);
      setTimeout(() => sendJson(res, 201, {}), 1_000);
    });
    const c = client(s.url, { timeoutMs: 100 });
    const err = (await rejection(c.postJson("/vouchers", {}, { a: 1 }, Any))) as FortnoxNetworkError;
    expect(err.kind).toBe("timeout");
    expect(err.maybeCommitted).toBe(true);
    expect(s.hits.length).toBe(1);
  });

  it("POST: 5xx is ambiguous and not retried", async () => {
    const s = await serve((req, res) => sendJson(res, 500, { ErrorInformation: { error: 1, message: "Internal", code: 0 } }));
    const c = client(s.url);
    const err = (await rejection(c.postJson("/vouchers", {}, {}, Any))) as FortnoxApiError;
    expect(err.kind).toBe("server_error");
    expect(err.maybeCommitted).toBe(true);
    expect(s.hits.length).toBe(1);
  });

  it("POST: 429 is not retried but is known not committed", async () => {
    const s = await serve((req, res) => sendJson(res, 429, {}, { "Retry-After": "0" }));
    const c = client(s.url);
    const err = (await rejection(c.postJson("/vouchers", {}, {}, Any))) as FortnoxApiError;
    expect(err.kind).toBe("rate_limited");
    expect(err.maybeCommitted).toBe(false);
    expect(err.retryAfterMs).toBe(0);
    expect(s.hits.length).toBe(1);
  });

  it("POST: connection refused is known not committed", async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const c = client(`http://127.0.0.1:${port}`);
    const err = (await rejection(c.postJson("/vouchers", {}, {}, Any))) as FortnoxNetworkError;
    expect(err.kind).toBe("connect");
    expect(err.maybeCommitted).toBe(false);
  });

  it("401: refreshes once through onUnauthorized and repeats with the new token", async () => {
    const s = await serve((req, res) =>
      req.headers.authorization === "Bearer tok-2"
        ? sendJson(res, 200, { ok: true })
        : sendJson(res, 401, { message: "Unauthorized" }),
    );
    let refreshes = 0;
    const c = client(s.url, { onUnauthorized: async () => (refreshes++, "tok-2") });
    await c.getJson("/x", {}, Ok);
    expect(refreshes).toBe(1);
    const always401 = await serve((req, res) => sendJson(res, 401, { message: "Unauthorized" }));
    const c2 = client(always401.url, { onUnauthorized: async () => "tok-3" });
    const err = (await rejection(c2.getJson("/x", {}, Ok))) as FortnoxApiError;
    expect(err.kind).toBe("unauthorized");
    expect(always401.hits.length).toBe(2);
  });

  it("maps every error body shape to a kind, never leaking the raw body into the message", async () => {
    const cases: Array<[number, unknown, string, Partial<FortnoxApiError>]> = [
      [404, { ErrorInformation: { error: 1, message: "Kan inte hitta kontot.", code: 2000423 } }, "account_not_found", { code: 2000423 }],
      [400, { ErrorInformation: { Error: 1, Message: "Kan inte hitta konto 1999", Code: "2001304" } }, "account_not_found", { account: 1999 }],
      [400, { errorinformation: { ERROR: 1, MESSAGE: "Ogiltig parameter", CODE: 2000588 } }, "invalid_parameter", {}],
      [400, { ErrorInformation: { error: 1, message: "Användare har låst perioden t.o.m. 2024-06-30", code: 2000401 } }, "period_locked", { lockedUntil: "2024-06-30" }],
      [400, { ErrorInformation: { error: 1, message: "Verifikationsserien är inte manuell (B)", code: 2000000 } }, "series_not_manual", { series: "B" }],
      [400, { ErrorInformation: { error: 1, message: "Konto 3001 är inte aktivt" } }, "account_inactive", { account: 3001 }],
      [403, { ErrorInformation: { error: 1, message: "Det saknas en licens", code: 2001101 } }, "no_licence_for_scope", {}],
      [403, { ErrorInformation: { error: 1, message: "no scope", code: "2000663" } }, "missing_scope", {}],
      [403, { ErrorInformation: { error: 1, message: "no api", code: 2001103 } }, "no_api_licence", {}],
      [401, { ErrorInformation: { error: 1, message: "Invalid login", code: 2000311 } }, "invalid_login", {}],
      [400, { ErrorInformation: { error: 1, message: "JSON syntax", code: 2002115 } }, "bad_body", {}],
      [401, { error: "invalid_token", error_description: "expired" }, "unauthorized", {}],
      [403, { message: "Forbidden" }, "unauthorized", {}],
      [404, "<html><body>Not found</body></html>", "not_found", {}],
      [400, "plain garbage", "unknown", {}],
    ];
    const s = await serve((req, res) => {
      const i = Number(req.url!.split("/").pop());
      const [status, body] = cases[i];
      if (typeof body === "string") {
        res.writeHead(status, { "Content-Type": "text/html" });
        res.end(body);
      } else sendJson(res, status, body);
    });
    const c = client(s.url);
    for (let i = 0; i < cases.length; i++) {
      const [, , kind, fields] = cases[i];
      const err = (await rejection(c.getJson(`/e/${i}`, {}, Any))) as FortnoxApiError;
      expect(err, `case ${i}`).toBeInstanceOf(FortnoxApiError);
      expect(err.kind, `case ${i}`).toBe(kind);
      expect(err.translationKey).toBe(`fortnox.error.${kind}`);
      expect(err).toMatchObject(fields);
      expect(err.message).not.toContain("<html>");
    }
  });

  it("a 2xx that is not JSON or does not match the schema is unexpected_response", async () => {
    const s = await serve((req, res) =>
      req.url!.includes("html") ? (res.writeHead(200), res.end("<html>")) : sendJson(res, 200, { ok: "yes" }),
    );
    const c = client(s.url);
    expect(((await rejection(c.getJson("/html", {}, Ok))) as FortnoxApiError).kind).toBe("unexpected_response");
    expect(((await rejection(c.getJson("/json", {}, Ok))) as FortnoxApiError).kind).toBe("unexpected_response");
  });
});

describe("paging", () => {
  const Item = z.object({ N: z.number() });

  it("follows @TotalPages across 3 pages even when limit is capped silently", async () => {
    const s = await serve((req, res) => {
      const u = new URL(req.url!, "http://x");
      const page = Number(u.searchParams.get("page"));
      expect(u.searchParams.get("limit")).toBe("500");
      expect(u.searchParams.get("financialyear")).toBe("7");
      sendJson(res, 200, {
        MetaInformation: { "@TotalResources": 5, "@TotalPages": 3, "@CurrentPage": page },
        Vouchers: page < 3 ? [{ N: page * 10 + 1 }, { N: page * 10 + 2 }] : [{ N: 31 }],
      });
    });
    const c = client(s.url);
    const items = await c.getAllPages("/vouchers", { financialyear: 7 }, "Vouchers", Item);
    expect(items.map((i) => i.N)).toEqual([11, 12, 21, 22, 31]);
    expect(s.hits.length).toBe(3);
  });

  it("missing MetaInformation means a single page; keys are matched case-insensitively", async () => {
    const s = await serve((req, res) => sendJson(res, 200, { vouchers: [{ N: 1 }] }));
    const c = client(s.url);
    expect(await c.getAllPages("/vouchers", {}, "Vouchers", Item)).toEqual([{ N: 1 }]);
    expect(s.hits.length).toBe(1);
  });

  it("retries a failed middle page instead of stopping", async () => {
    let failed = false;
    const s = await serve((req, res) => {
      const page = Number(new URL(req.url!, "http://x").searchParams.get("page"));
      if (page === 2 && !failed) {
        failed = true;
        return req.socket.destroy();
      }
      sendJson(res, 200, { MetaInformation: { "@TotalPages": "3" }, Items: [{ N: page }] });
    });
    const c = client(s.url);
    expect((await c.getAllPages("/items", {}, "Items", Item)).map((i) => i.N)).toEqual([1, 2, 3]);
  });
});

describe("streams and uploads", () => {
  const sie = Buffer.from([0x23, 0x46, 0x4c, 0x41, 0x47, 0x47, 0x41, 0x20, 0x30, 0x0d, 0x0a, 0x86, 0x84, 0x94, 0x8e]);

  async function collect(it: AsyncIterable<Uint8Array>) {
    const chunks: Buffer[] = [];
    for await (const c of it) chunks.push(Buffer.from(c));
    return Buffer.concat(chunks);
  }

  it("streams raw bytes unchanged (CP437 is decoded elsewhere)", async () => {
    const s = await serve((req, res) => {
      res.writeHead(200, { "Content-Type": "application/octet-stream" });
      res.write(sie.subarray(0, 5));
      setTimeout(() => res.end(sie.subarray(5)), 20);
    });
    const c = client(s.url);
    const bytes = await collect(await c.getStream("/sie/4", { financialyear: 1 }));
    expect(bytes.equals(sie)).toBe(true);
    expect(s.hits[0].url).toBe("/3/sie/4?financialyear=1");
  });

  it("sends no JSON Accept or Content-Type on a stream (Fortnox answers 1000030 to a JSON Accept on SIE)", async () => {
    const s = await serve((req, res) => {
      res.writeHead(200, { "Content-Type": "application/octet-stream" });
      res.end(sie);
    });
    await collect(await client(s.url).getStream("/sie/4"));
    expect(s.hits[0].headers.accept).toBe("*/*");
    expect(s.hits[0].headers["content-type"]).toBeUndefined();
    expect(s.hits[0].headers.authorization).toBe("Bearer tok-1");
  });

  it("waits for the first byte longer than the per-attempt timeout, whether headers or body are late, with one request", async () => {
    for (const late of ["headers", "body"] as const) {
      const s = await serve((req, res) => {
        if (late === "body") res.writeHead(200);
        setTimeout(() => {
          if (late === "headers") res.writeHead(200);
          res.end(sie);
        }, 400);
      });
      const c = client(s.url, { timeoutMs: 100, streamFirstByteTimeoutMs: 3_000 });
      expect((await collect(await c.getStream("/sie/4"))).equals(sie)).toBe(true);
      expect(s.hits.length).toBe(1);
      expect(c.counters.retries).toBe(0);
    }
  });

  it("gives up after the first-byte timeout without asking again, with a message of its own", async () => {
    const s = await serve(() => {}); // Fortnox still building the file
    const c = client(s.url, { timeoutMs: 50, streamFirstByteTimeoutMs: 300 });
    const err = (await rejection(c.getStream("/sie/4"))) as FortnoxNetworkError;
    expect(err).toBeInstanceOf(FortnoxNetworkError);
    expect(err.kind).toBe("first_byte_timeout");
    expect(err.translationKey).toBe("fortnox.error.network.first_byte_timeout");
    expect(err.params).toEqual({ minutes: 1 });
    expect(s.hits.length).toBe(1);
  });

  it("never asks again while Fortnox may still be working: a reset before the first byte or a 504 fails at once", async () => {
    const reset = await serve((req) => req.socket.destroy());
    const err = (await rejection(client(reset.url).getStream("/sie/4"))) as FortnoxNetworkError;
    expect(err.kind).toBe("reset");
    expect(reset.hits.length).toBe(1);
    const gateway = await serve((req, res) => sendJson(res, 504, { message: "Gateway Timeout" }));
    expect(await rejection(client(gateway.url).getStream("/sie/4"))).toBeInstanceOf(FortnoxApiError);
    expect(gateway.hits.length).toBe(1);
  });

  it("asks again after a definite refusal (429, 500, 502, 503) or when the request never left (connection refused)", async () => {
    for (const status of [429, 500, 502, 503]) {
      const s = await serve((req, res, n) => {
        if (n === 1) return sendJson(res, status, { message: "no" }, status === 429 ? { "Retry-After": "0" } : {});
        res.writeHead(200);
        res.end(sie);
      });
      const c = client(s.url);
      expect((await collect(await c.getStream("/sie/4"))).equals(sie)).toBe(true);
      expect(s.hits.length, `after ${status}`).toBe(2);
    }
    const s = await serve((req, res) => {
      res.writeHead(200);
      res.end(sie);
    });
    let calls = 0;
    const refusedOnce: typeof fetch = async (input, init) => {
      if (calls++ === 0) throw new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) });
      return fetch(input, init);
    };
    const c = client(s.url, { fetch: refusedOnce });
    expect((await collect(await c.getStream("/sie/4"))).equals(sie)).toBe(true);
    expect([calls, s.hits.length]).toEqual([2, 1]);
  });

  it("surfaces a truncation after the first byte as FortnoxNetworkError, without asking again", async () => {
    const s = await serve((req, res) => {
      res.writeHead(200, { "Content-Length": String(sie.length * 10) });
      res.write(sie);
      setTimeout(() => req.socket.destroy(), 30);
    });
    const c = client(s.url);
    const stream = await c.getStream("/sie/4");
    const err = await rejection(collect(stream));
    expect(err).toBeInstanceOf(FortnoxNetworkError);
    expect(s.hits.length).toBe(1); // no retry once bytes were handed out
  });

  it("an idle stream times out", async () => {
    const s = await serve((req, res) => {
      res.writeHead(200);
      res.write(sie);
    });
    const c = client(s.url, { timeoutMs: 150 });
    const err = (await rejection(collect(await c.getStream("/sie/4")))) as FortnoxNetworkError;
    expect(err.kind).toBe("timeout");
  });

  it("uploads multipart with the file part name, filename, type and exact bytes", async () => {
    const bytes = new Uint8Array(256).map((_, i) => i);
    let seen: ReturnType<typeof parseMultipart> = [];
    let ct = "";
    const s = await serve(async (req, res) => {
      ct = req.headers["content-type"] ?? "";
      seen = parseMultipart(await readBody(req), ct);
      sendJson(res, 201, { File: { Id: "abc", Name: "kvitto.pdf" } });
    });
    const c = client(s.url);
    const out = await c.postMultipart("/inbox", { path: "inbox_v" }, { name: "kvitto.pdf", bytes, contentType: "application/pdf" });
    expect(out).toEqual({ File: { Id: "abc", Name: "kvitto.pdf" } });
    expect(ct).toMatch(/^multipart\/form-data; boundary=/);
    expect(s.hits[0].url).toBe("/3/inbox?path=inbox_v");
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ name: "file", filename: "kvitto.pdf", contentType: "application/pdf" });
    expect(Buffer.from(bytes).equals(seen[0].data)).toBe(true);
    await c.postMultipart("/inbox", {}, { name: "a.pdf", bytes, contentType: "application/pdf" }, "Filedata");
    expect(seen[0].name).toBe("Filedata");
  });
});

describe("rate limit over HTTP (fake clock)", () => {
  it("60 requests take ≥ 10 s of limiter time and never exceed 24 in any 5 s window", async () => {
    const s = await serve((req, res) => sendJson(res, 200, { ok: true }));
    const clock = new ManualClock();
    const sent: number[] = [];
    const c = client(s.url, {
      limiter: new SlidingWindowLimiter({ clock }), // defaults: 24 per 5,000 ms
      fetch: (input, init) => {
        sent.push(clock.now()); // the fake clock only moves when we fire a timer, so this is the send time
        return fetch(input, init);
      },
    });
    let finished = false;
    const all = Promise.all(Array.from({ length: 60 }, () => c.getJson("/x", {}, Ok))).finally(() => (finished = true));
    while (!finished) {
      await new Promise((r) => setTimeout(r, 20)); // let real HTTP round trips complete
      if (!finished) clock.fireNext();
    }
    await all;
    expect(sent).toHaveLength(60);
    expect(Math.max(...sent) - Math.min(...sent)).toBeGreaterThanOrEqual(10_000);
    for (const t of sent) expect(sent.filter((u) => u >= t && u < t + 5_000).length).toBeLessThanOrEqual(24);
    expect(s.hits).toHaveLength(60);
  });
});
