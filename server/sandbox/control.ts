import { Hono } from "hono";
import { SANDBOX_MODULES } from "./api/scopes";
import { isoDate, parseIsoDate } from "./data/dates";
import { validateFaults } from "./faults";
import { validateRuntimeOptions } from "./options";
import { ALL_SCOPES, type SandboxState } from "./state";

// Test-only control API (<base>/control): faults, clock, tenant settings, reset, counters. No OAuth: it is a
// local tool, and it is not mounted at all when the sandbox runs with control: false.

export interface ControlApi {
  setFaults(target: number | "*", faults: import("./faults").Faults): void;
  clearFaults(target: number | "*"): void;
  advanceClock(seconds: number): void;
  setClockOffset(seconds: number): void;
  updateTenant(tenantId: number, patch: TenantPatch): void;
  reset(): void;
  state(): ReturnType<SandboxState["snapshot"]>;
  /** Changes the unsettled behaviours (voucherListComments, …) until the next reset. */
  setOptions(patch: unknown): void;
  /** Vouchers posted through the API, with their Comments: what a test holds the exporter against. */
  postedVouchers(tenantId: number): { financialYearId: number; series: string; number: number; transactionDate: string; comments: string | null }[];
}

export interface TenantPatch {
  serviceAccount?: boolean;
  licences?: string[];
  /** Fortnox modules the company has (bookkeeping, invoicing, supplierinvoicing). */
  modules?: string[];
  lockedThrough?: string | null;
  autoLockedThrough?: string | null;
}

export function makeControl(get: () => SandboxState, reset: () => void): ControlApi {
  return {
    setFaults: (t, f) => get().setFaults(t, validateFaults(f)),
    clearFaults: (t) => get().clearFaults(t),
    advanceClock: (s) => get().clock.advance(s),
    setClockOffset: (s) => get().clock.setOffset(s),
    updateTenant: (id, patch) => {
      const t = get().tenant(id);
      if (!t) throw new Error(`unknown tenant ${id}`);
      if (patch.serviceAccount !== undefined) t.serviceAccount = Boolean(patch.serviceAccount);
      if (patch.licences !== undefined) {
        const bad = patch.licences.filter((l) => !(ALL_SCOPES as readonly string[]).includes(l));
        if (bad.length) throw new Error(`unknown licence scope(s): ${bad.join(", ")}`);
        t.licences = new Set(patch.licences);
      }
      if (patch.modules !== undefined) {
        const bad = patch.modules.filter((m) => !(SANDBOX_MODULES as readonly string[]).includes(m));
        if (bad.length) throw new Error(`unknown module(s): ${bad.join(", ")} (known: ${SANDBOX_MODULES.join(", ")})`);
        t.modules = new Set(patch.modules);
      }
      if (patch.lockedThrough !== undefined) {
        const d = patch.lockedThrough === null ? null : parseIsoDate(patch.lockedThrough);
        if (patch.lockedThrough !== null && d === null) throw new Error("lockedThrough must be YYYY-MM-DD or null");
        t.lockedThrough = d;
      }
      if (patch.autoLockedThrough !== undefined) {
        const d = patch.autoLockedThrough === null ? null : parseIsoDate(patch.autoLockedThrough);
        if (patch.autoLockedThrough !== null && d === null) throw new Error("autoLockedThrough must be YYYY-MM-DD or null");
        t.autoLockedThrough = d;
      }
    },
    setOptions: (patch) => Object.assign(get().runtime, validateRuntimeOptions(patch)),
    postedVouchers: (id) => {
      const t = get().tenant(id);
      if (!t) throw new Error(`unknown tenant ${id}`);
      const co = t.company;
      return co.years.flatMap((y) =>
        [...y.posted].map(([v, p]) => ({
          financialYearId: y.id, series: co.series[y.v.c.series[v]].code, number: y.v.c.number[v], transactionDate: isoDate(y.v.c.date[v]),
          comments: p.comments,
        })),
      );
    },
    reset,
    state: () => get().snapshot(),
  };
}

export function controlRoutes(control: ControlApi): Hono {
  const app = new Hono();
  const body = async (req: Request) => {
    const text = await req.text();
    return text ? JSON.parse(text) : {};
  };
  const target = (v: unknown): number | "*" => (v === undefined || v === "*" ? "*" : Number(v));

  app.post("/faults", async (c) => {
    const b = await body(c.req.raw);
    if (b.clear) control.clearFaults(target(b.tenantId));
    const { tenantId: _t, clear: _c, ...faults } = b;
    if (Object.keys(faults).length) control.setFaults(target(b.tenantId), faults);
    return c.json({ ok: true, tenants: control.state().tenants.map((t) => ({ tenantId: t.tenantId, faults: t.faults })) });
  });
  app.post("/clock", async (c) => {
    const b = await body(c.req.raw);
    if (typeof b.offsetSeconds === "number") control.setClockOffset(b.offsetSeconds);
    if (typeof b.advanceSeconds === "number") control.advanceClock(b.advanceSeconds);
    const s = control.state();
    return c.json({ ok: true, now: s.now, offsetSeconds: s.clockOffsetSeconds });
  });
  app.post("/tenants/:id", async (c) => {
    control.updateTenant(Number(c.req.param("id")), await body(c.req.raw));
    return c.json({ ok: true });
  });
  app.post("/options", async (c) => {
    control.setOptions(await body(c.req.raw));
    return c.json({ ok: true, options: control.state().options });
  });
  app.get("/tenants/:id/vouchers", (c) => c.json({ vouchers: control.postedVouchers(Number(c.req.param("id"))) }));
  app.post("/reset", (c) => {
    control.reset();
    return c.json({ ok: true });
  });
  app.get("/state", (c) => c.json(control.state()));
  app.onError((err, c) => c.json({ ok: false, error: err.message }, 400));
  return app;
}
