import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { importGraph, importsOf, ROOT, type ImportEdge } from "@/server/testing/import-graph";

// The direction of imports, read from the source: domains never reach back into the API layer or the pages, the job
// queue is a leaf, lib/ is isomorphic, and browser code takes nothing but types from the server. Test code (tests,
// testing/ helpers, crash children) may wire things together and is left out.

const graph = importGraph();
const isTestCode = (f: string) => /\.test\.tsx?$|\.child\.ts$|(^|\/)testing(\/|\.ts$)/.test(f);
/** server/<domain>/… → the domain; server/api and top-level server/*.ts are not domains. */
const domainOf = (f: string) => /^server\/([^/]+)\//.exec(f)?.[1] ?? null;
const isDomain = (f: string) => {
  const d = domainOf(f);
  return d !== null && d !== "api" && d !== "testing";
};
const show = (edges: ImportEdge[]) => edges.map((e) => `${e.from}:${e.line} → ${e.to}`);
const production = graph.filter((e) => !isTestCode(e.from));

describe("module direction", () => {
  it("the scanner sees every import form the codebase uses", () => {
    const file = path.join(ROOT, "server/jobs/example.ts");
    const text = [
      'import { a } from "@/server/import/job";',
      "import {",
      "  b,",
      "  c,",
      '} from "../export/run";',
      'import type { D } from "@/server/connections";',
      'export { e } from "./queue";',
      'import "@/server/maintenance";',
      'const m = await import("@/server/api/root");',
      'import { z } from "zod";',
      'const s = "not an import from \\"@/server/env\\"";',
    ].join("\n");
    expect(importsOf(file, text).map((e) => [e.to, e.typeOnly, e.line])).toEqual([
      ["server/import/job.ts", false, 1],
      ["server/export/run/index.ts", false, 2],
      ["server/connections/index.ts", true, 6],
      ["server/jobs/queue.ts", false, 7],
      ["server/maintenance.ts", false, 8],
      ["server/api/root.ts", false, 9],
    ]);
    // The real graph is not empty: the rules below check something.
    expect(graph.length).toBeGreaterThan(500);
    expect(graph.some((e) => e.from === "server/worker.ts" && e.to === "server/jobs/runner.ts")).toBe(true);
  });

  it("no domain module imports server/api or app/", () => {
    const back = production.filter((e) => isDomain(e.from) && (e.to.startsWith("server/api/") || e.to.startsWith("app/")));
    expect(show(back)).toEqual([]);
  });

  it("server/jobs imports no domain: handlers are registered by the composition root (server/worker.ts)", () => {
    const out = graph.filter((e) => domainOf(e.from) === "jobs" && isDomain(e.to) && domainOf(e.to) !== "jobs");
    expect(show(out)).toEqual([]);
  });

  it("server/i18n imports no domain: whoever knows the signed-in user passes the locale in (server/auth/locale.ts)", () => {
    const out = production.filter((e) => domainOf(e.from) === "i18n" && isDomain(e.to) && domainOf(e.to) !== "i18n");
    expect(show(out)).toEqual([]);
  });

  it("lib/ imports nothing from server/, db/ or app/: it runs in the browser too", () => {
    const out = graph.filter((e) => e.from.startsWith("lib/") && /^(server|db|app)\//.test(e.to));
    expect(show(out)).toEqual([]);
  });

  it("browser code (\"use client\" and what it imports) takes only types from server/ and db/", () => {
    const clientFiles = new Set(
      [...new Set(graph.map((e) => e.from))].filter((f) => f.startsWith("app/") && /^\s*["']use client["']/.test(readFileSync(path.join(ROOT, f), "utf8"))),
    );
    expect(clientFiles.size).toBeGreaterThan(10);
    // Followed through every value import, so a helper in app/ or lib/ cannot carry server code into the bundle.
    const seen = new Set<string>();
    const out: ImportEdge[] = [];
    const stack = [...clientFiles];
    while (stack.length) {
      const f = stack.pop()!;
      if (seen.has(f)) continue;
      seen.add(f);
      for (const e of graph) {
        if (e.from !== f || e.typeOnly) continue;
        if (/^(server|db)\//.test(e.to)) out.push(e);
        else stack.push(e.to);
      }
    }
    expect(show(out)).toEqual([]);
  });

  it('scripts run outside Next (tsx: CLIs, benchmarks, crash children) never reach a "server-only" module', () => {
    const serverOnly = new Set(
      [...new Set(graph.flatMap((e) => [e.from, e.to]))].filter((f) => /^import ["']server-only["'];?$/m.test(readFileSync(path.join(ROOT, f), "utf8"))),
    );
    expect(serverOnly.has("server/api/context.ts")).toBe(true);
    const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
    const entries = [
      ...Object.values(pkg.scripts).flatMap((s) => [...s.matchAll(/\btsx\s+(\S+\.ts)/g)].map((m) => m[1])),
      ...[...new Set(graph.map((e) => e.from))].filter((f) => /(\.child\.ts|testing\/crash-child\.ts|testing\/worker-child\.ts)$/.test(f)),
      "bench/closing.ts",
      "bench/import.ts",
      "bench/export.ts",
    ];
    expect(entries).toContain("server/sie/cli.ts");
    const next = new Map<string, string[]>();
    for (const e of graph) if (!e.typeOnly) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
    const reached = new Set<string>();
    const stack = [...entries];
    while (stack.length) {
      const f = stack.pop()!;
      if (reached.has(f)) continue;
      reached.add(f);
      stack.push(...(next.get(f) ?? []));
    }
    expect([...reached].filter((f) => serverOnly.has(f))).toEqual([]);
  });
});
