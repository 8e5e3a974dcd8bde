// The composition root of an app instance's background work, started from instrumentation.ts. Only here do the job
// queue and the domains meet: server/jobs knows nothing of import, export or connections, and each domain offers a
// handler or a timer without knowing who runs it. Tests register their own handlers with registerJobHandler.
// No "server-only" here: instrumentation.ts is not bundled as a server component, and Next has refused the marker there.

import { getDb } from "@/db/client";
import { fortnoxApiForClient } from "@/server/connections";
import { KEEP_ALIVE_INTERVAL_MS, runKeepAlive } from "@/server/connections/keep-alive";
import { adjustmentExportJobHandler } from "@/server/export/adjustment-export";
import { importJobHandler } from "@/server/import/job";
import { startPeriodic } from "@/server/jobs/periodic";
import { registerJobHandler, startWorker } from "@/server/jobs/runner";
import { MAINTENANCE_INTERVAL_MS, runMaintenance } from "@/server/maintenance";

/** Every job kind with its production dependencies. */
export function registerJobHandlers(): void {
  registerJobHandler(
    "import",
    importJobHandler({ fortnoxFor: async (db, firmId, clientId) => (await fortnoxApiForClient(db, firmId, clientId)).api }),
  );
  registerJobHandler("export", adjustmentExportJobHandler());
}

/** This instance's job worker, the Fortnox connection keep-alive and the file/throttle housekeeping. */
export function startBackgroundWork(): void {
  registerJobHandlers();
  startWorker(getDb);
  startPeriodic("fortnox keep-alive", async () => runKeepAlive(await getDb()), { everyMs: KEEP_ALIVE_INTERVAL_MS, firstAfterMs: 60_000 });
  startPeriodic("maintenance", runMaintenance, { everyMs: MAINTENANCE_INTERVAL_MS, firstAfterMs: 5 * 60_000 });
}
