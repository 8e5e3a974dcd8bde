import { getDb } from "@/db/client";
import { notConnected } from "@/server/errors";
import { importJobHandler } from "@/server/import/job";
import { registerJobHandler, startWorker } from "./runner";

/** Registers every job kind with its production dependencies and starts this instance's worker. */
export function startJobWorker() {
  registerJobHandler(
    "import",
    importJobHandler({
      // Until a client has a stored Fortnox connection there is nothing to fetch with.
      fortnoxFor: async () => {
        throw notConnected();
      },
    }),
  );
  startWorker(getDb);
}
