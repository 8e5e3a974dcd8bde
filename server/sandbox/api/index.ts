import { Hono } from "hono";
import type { OAuthServer } from "../oauth";
import type { EndpointKey } from "../options";
import { resetResponse } from "../reset";
import { sieChunks } from "../sie";
import type { SandboxState } from "../state";
import { bookkeepingRoutes, type CommitFn, type Guard } from "./bookkeeping";
import { fileRoutes } from "./files";
import { type ApiEnv, ApiError, errorBody, errorResponse, yearParam } from "./http";
import { ledgerRoutes } from "./ledgers";
import { DEFAULT_ENDPOINT_SCOPES, ENDPOINT_MODULE, NO_LICENCE_TEXT } from "./scopes";

// The REST API at <base>/3: Bearer auth, rate limit and faults in front of the resources.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function apiRoutes(state: SandboxState, oauth: OAuthServer, basePath: string): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const scopes = { ...DEFAULT_ENDPOINT_SCOPES, ...state.options.endpointScopes };
  const rate = state.options.rateLimit === undefined ? { limit: 25, windowMs: 5000 } : state.options.rateLimit;
  const tooMany = (retryMs: number) => {
    state.counters.rateLimited++;
    const headers: Record<string, string> = {};
    if (state.runtime.retryAfterHeader) headers["retry-after"] = String(Math.max(1, Math.ceil(retryMs / 1000)));
    return Response.json({ message: "Too Many Requests" }, { status: 429, headers });
  };

  app.use("*", async (c, next) => {
    state.counters.requests.total++;
    state.counters.requests.api++;
    // Every SIE request makes Fortnox build the file again: count them as they arrive, refused or not.
    if (/\/sie\/[^/]*$/.test(c.req.path)) state.counters.requests.sie++;
    const m = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "");
    if (!m) return errorResponse(null, 401, 2000310, "Ogiltig inloggning: access-token saknas.");
    const checked = oauth.check(m[1]);
    if (!checked.ok) {
      const text = { invalid: "Ogiltig access-token.", expired: "Access-token har gått ut.", revoked: "Access-token har återkallats." }[checked.reason];
      return errorResponse(null, 401, 2000311, text);
    }
    const grant = checked.grant;
    const tenant = state.tenant(grant.tenantId);
    if (!tenant) return errorResponse(null, 401, 2000311, "Okänt företag.");
    c.set("grant", grant);
    c.set("tenant", tenant);
    c.set("strictQuery", state.options.checkQueryEncoding !== false);
    state.countRequest(tenant.id);
    const faults = tenant.faults;
    if (faults.take("storm429")) {
      state.counters.faultsInjected.storm429++;
      return tooMany(1000);
    }
    if (rate) {
      const key = `${grant.clientId}:${tenant.id}`;
      const now = state.clock.nowMs();
      const window = (state.rateWindows.get(key) ?? []).filter((t) => t > now - rate.windowMs);
      state.rateWindows.set(key, window);
      if (window.length >= rate.limit) return tooMany(window[0] + rate.windowMs - now);
      window.push(now);
    }
    if (faults.f.latencyMs) {
      state.counters.faultsInjected.latency++;
      await sleep(faults.f.latencyMs);
    }
    if (faults.drawError()) {
      state.counters.faultsInjected.error5xx++;
      const status = faults.f.errorStatus ?? 503;
      return Response.json({ message: "Service Unavailable (sandbox fault)" }, { status });
    }
    // The call that exhausts the budget is still answered; the tenant's tokens die right after it.
    const revokeNow = faults.countCall();
    try {
      await next();
    } finally {
      if (revokeNow) state.revokeTenant(tenant.id);
    }
  });

  const guard: Guard = (c, endpoint: EndpointKey) => {
    c.set("endpoint", endpoint);
    const need = scopes[endpoint];
    const grant = c.get("grant");
    if (!need.some((s) => grant.scopes.has(s))) {
      throw new ApiError(403, 2000663, `Har inte behörighet för scope (kräver ${need.join(" eller ")}).`);
    }
    const tenant = c.get("tenant");
    const module = ENDPOINT_MODULE[endpoint];
    if (!need.some((s) => tenant.licences.has(s)) || (module && !tenant.modules.has(module))) {
      throw new ApiError(403, 2001101, NO_LICENCE_TEXT);
    }
  };

  const commit: CommitFn = (c, write) => {
    const faults = c.get("tenant").faults;
    if (faults.take("resetBeforeCommit")) {
      state.counters.faultsInjected.resetBeforeCommit++;
      return resetResponse("before-commit");
    }
    const res = write();
    if (faults.take("resetAfterCommit")) {
      state.counters.faultsInjected.resetAfterCommit++;
      return resetResponse("after-commit");
    }
    return res;
  };

  app.get("/sie/:type", async (c) => {
    const tenant = c.get("tenant");
    const unavailable = tenant.faults.f.sieUnavailable;
    if (unavailable) {
      state.counters.faultsInjected.sieUnavailable++;
      if (unavailable === "notfound") return c.json({ message: "Not Found" }, 404);
      c.set("endpoint", "sie");
      throw new ApiError(403, 2001101, "Det finns ingen aktiv licens för SIE-export.");
    }
    guard(c, "sie");
    if (state.options.sieAcceptJson !== "tolerate" && /application\/json/i.test(c.req.header("accept") ?? "")) {
      throw new ApiError(400, 1000030, "Invalid response type (Accept)");
    }
    const type = Number(c.req.param("type"));
    if (![1, 2, 3, 4].includes(type)) throw new ApiError(400, 2000588, "Ogiltig SIE-typ (1–4).");
    const yearIdx = yearParam(c, state);
    const co = tenant.company;
    const chunks = sieChunks(co, { type: type as 1 | 2 | 3 | 4, yearIdx, generatedDay: state.clock.today() });
    const limit = tenant.faults.takeSieCut() ? tenant.faults.f.truncateSieAfterBytes! : null;
    let sent = 0;
    let cut = false;
    const body = new ReadableStream<Uint8Array>({
      pull(ctrl) {
        if (cut) {
          ctrl.error(new Error("sandbox fault: truncated SIE stream"));
          return;
        }
        const n = chunks.next();
        if (n.done) return ctrl.close();
        let chunk: Uint8Array = n.value;
        if (limit != null && sent + chunk.length >= limit) {
          chunk = chunk.subarray(0, limit - sent);
          cut = true; // error on the next pull, after the consumer took the partial chunk
          state.counters.faultsInjected.truncatedSie++;
        }
        sent += chunk.length;
        if (chunk.length) ctrl.enqueue(chunk);
        else if (cut) ctrl.error(new Error("sandbox fault: truncated SIE stream"));
      },
      cancel() {
        chunks.return(undefined);
      },
    });
    const delay = tenant.faults.f.sieFirstByteDelaySeconds;
    if (delay) {
      state.counters.faultsInjected.sieFirstByteDelay++;
      await sleep(delay * 1000);
    }
    const y = co.years[yearIdx];
    return new Response(body, {
      headers: {
        "content-type": state.options.sieContentType ?? "application/octet-stream",
        "content-disposition": `attachment; filename="SIE${type}_${co.profile.tenantId}_${y.fromYear}.se"`,
      },
    });
  });

  app.route("/", bookkeepingRoutes(state, basePath, guard, commit));
  app.route("/", ledgerRoutes(state, basePath, guard));
  app.route("/", fileRoutes(state, basePath, guard, commit));

  app.notFound((c) => c.json({ message: "Not Found" }, 404));
  app.onError((err, c) => {
    if (err instanceof ApiError) return c.json(errorBody(c.get("endpoint") ?? null, err.code, err.message), err.status);
    console.error("[sandbox]", err);
    return c.json(errorBody(c.get("endpoint") ?? null, 2000000, "Internt fel i sandlådan."), 500);
  });
  return app;
}
