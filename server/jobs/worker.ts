import { getDb } from "@/db/client";
import { fortnoxApiForClient } from "@/server/connections";
import { adjustmentExportJobHandler } from "@/server/export/adjustment-export";
import { importJobHandler } from "@/server/import/job";
import { registerJobHandler, startWorker } from "./runner";

/** Registers every job kind with its production dependencies and starts this instance's worker. */
export function startJobWorker() {
  registerJobHandler(
    "import",
    importJobHandler({ fortnoxFor: async (db, firmId, clientId) => (await fortnoxApiForClient(db, firmId, clientId)).api }),
  );
  registerJobHandler("export", adjustmentExportJobHandler());
  startWorker(getDb);
}
