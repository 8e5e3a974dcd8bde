import type { Db } from "@/db/client";
import * as outbox from "../outbox";
import type { ExportRunResult } from "./options";
import type { ExportRun } from "./export-run";

// The run's last step: let go of every lease, then count what is left as the outbox now says.

export async function finish(run: ExportRun): Promise<ExportRunResult> {
  const { db, projectId, itemIds, result } = run;
  await outbox.dropLeases(db, run.owner);
  const left = await outbox.unfinishedItems(db, projectId, itemIds);
  result.pending = left.filter((i) => i.state === "queued" || i.state === "sending").length;
  const touched = await outbox.attachmentsOf(db, left.map((i) => i.id));
  result.attachmentsPending = touched.filter((r) => r.state !== "connected" && r.state !== "failed").length;
  const counts = await attachmentCounts(db, projectId, itemIds);
  result.attachmentsConnected = counts.connected;
  result.attachmentsFailed = counts.failed;
  result.strayUploads = counts.stray;
  result.fatal = run.fatal;
  return result;
}

async function attachmentCounts(db: Db, projectId: string, itemIds?: string[]) {
  const items = itemIds ? await outbox.getItems(db, itemIds) : await outbox.itemsOfProject(db, projectId);
  const rows = await outbox.attachmentsOf(db, items.map((i) => i.id));
  return {
    connected: rows.filter((r) => r.state === "connected").length,
    failed: rows.filter((r) => r.state === "failed").length,
    stray: rows.reduce((n, r) => n + r.strayUploads, 0),
  };
}
