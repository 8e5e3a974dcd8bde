import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { fortnoxConnections, imports, type clients, type projects } from "@/db/schema";

export type StepKey = "connect" | "import" | "reconcile" | "adjust" | "export";
/** done: finished; todo: the next thing to do; waiting: needs an earlier step first; notNeeded: skipped by the data source. */
export type StepState = "done" | "todo" | "waiting" | "notNeeded";

export interface ProjectOverview {
  project: typeof projects.$inferSelect;
  client: typeof clients.$inferSelect;
  steps: { key: StepKey; state: StepState }[];
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
  const steps: ProjectOverview["steps"] = [
    { key: "connect", state: fromFortnox ? (connected ? "done" : "todo") : "notNeeded" },
    { key: "import", state: imported ? "done" : fromFortnox && !connected ? "waiting" : "todo" },
    { key: "reconcile", state: imported ? "todo" : "waiting" },
    { key: "adjust", state: imported ? "todo" : "waiting" },
    { key: "export", state: "waiting" },
  ];
  return { project, client, steps, connection: conn?.status ?? null };
}
