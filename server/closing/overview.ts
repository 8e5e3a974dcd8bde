import { and, count, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { adjustments, fortnoxConnections, imports, type clients, type projects } from "@/db/schema";
import { trialBalance } from "./trial-balance";
import { GENERATED_TAX_KINDS } from "@/server/tax/kinds";

export type StepKey = "connect" | "import" | "reconcile" | "adjust" | "tax" | "export";
/** done: finished; todo: the next thing to do; waiting: needs an earlier step first; notNeeded: skipped by the data source. */
export type StepState = "done" | "todo" | "waiting" | "notNeeded";

export interface ProjectOverview {
  project: typeof projects.$inferSelect;
  client: typeof clients.$inferSelect;
  steps: { key: StepKey; state: StepState; params?: Record<string, number> }[];
  /** The client's Fortnox connection state; null when it has none. */
  connection: (typeof fortnoxConnections.$inferSelect)["status"] | null;
}

/**
 * The state of each step of the work, derived from what is stored. Connections, imports, reconciliation and
 * exports add their facts here as they arrive; until a step has facts it is "todo" or "waiting".
 */
export async function projectOverview(
  db: Db,
  project: typeof projects.$inferSelect,
  client: typeof clients.$inferSelect,
): Promise<ProjectOverview> {
  const fromFortnox = project.dataSource === "fortnox";
  const [conn] = await db.select({ status: fortnoxConnections.status }).from(fortnoxConnections).where(eq(fortnoxConnections.clientId, client.id));
  // Only a usable connection counts: pending confirmation or needs reconnect is still work for this step.
  const connected = conn?.status === "connected";
  const [current] = await db
    .select({ id: imports.id })
    .from(imports)
    .where(and(eq(imports.projectId, project.id), eq(imports.isCurrent, true)));
  const imported = !!current;
  let exported: ProjectOverview["steps"][number] = { key: "export", state: "waiting" };
  let reconcile: ProjectOverview["steps"][number] = { key: "reconcile", state: "waiting" };
  let adjust: ProjectOverview["steps"][number] = { key: "adjust", state: "waiting" };
  let tax: ProjectOverview["steps"][number] = { key: "tax", state: "waiting" };
  if (imported) {
    // Reconciled: every balance-sheet account with a balance is in a signed-off schedule that has not moved since.
    // Adjusted: there are adjustments and the year's result is booked (8999 against 2099).
    const [tb, [adj], [taxed]] = await Promise.all([
      trialBalance(db, project.id),
      db.select({ n: count(), exported: count(adjustments.exportedAt) }).from(adjustments).where(eq(adjustments.projectId, project.id)),
      db.select({ n: count() }).from(adjustments).where(and(eq(adjustments.projectId, project.id), inArray(adjustments.kind, [...GENERATED_TAX_KINDS]))),
    ]);
    const p = tb.progress;
    reconcile = {
      key: "reconcile",
      state: p.toReconcile > 0 && p.reconciled === p.toReconcile ? "done" : "todo",
      params: { reconciled: p.reconciled, total: p.toReconcile },
    };
    const n = Number(adj.n);
    adjust = { key: "adjust", state: n > 0 && tb.check.adjusted.unbookedResultOre === 0 ? "done" : "todo", params: { count: n } };
    // Tax: done once the Skatt step has booked its vouchers and the result after them is booked.
    tax = { key: "tax", state: Number(taxed.n) > 0 && tb.check.adjusted.unbookedResultOre === 0 ? "done" : "todo" };
    // Export: waits for adjustments; done when every one is in Fortnox.
    const left = n - Number(adj.exported);
    if (n > 0) exported = { key: "export", state: left === 0 ? "done" : "todo", params: { count: left } };
  }
  const steps: ProjectOverview["steps"] = [
    { key: "connect", state: fromFortnox ? (connected ? "done" : "todo") : "notNeeded" },
    { key: "import", state: imported ? "done" : fromFortnox && !connected ? "waiting" : "todo" },
    reconcile,
    adjust,
    tax,
    exported,
  ];
  return { project, client, steps, connection: conn?.status ?? null };
}
