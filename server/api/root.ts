import { createCallerFactory, createTRPCRouter } from "./trpc";
import { accountRouter } from "./routers/account";
import { firmRouter } from "./routers/firm";
import { clientRouter } from "./routers/client";
import { projectRouter } from "./routers/project";
import { importRouter } from "./routers/import";
import { connectionRouter } from "./routers/connection";
import { reconciliationRouter } from "./routers/reconciliation";
import { scheduleRouter } from "./routers/schedule";
import { attachmentRouter } from "./routers/attachment";
import { adjustmentRouter } from "./routers/adjustment";
import { exportRouter } from "./routers/export";
import { taxRouter } from "./routers/tax";

export const appRouter = createTRPCRouter({
  account: accountRouter,
  firm: firmRouter,
  client: clientRouter,
  project: projectRouter,
  import: importRouter,
  connection: connectionRouter,
  reconciliation: reconciliationRouter,
  schedule: scheduleRouter,
  attachment: attachmentRouter,
  adjustment: adjustmentRouter,
  export: exportRouter,
  tax: taxRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
