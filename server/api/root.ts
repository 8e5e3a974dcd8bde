import { createCallerFactory, createTRPCRouter } from "./trpc";
import { accountRouter } from "./routers/account";
import { firmRouter } from "./routers/firm";
import { clientRouter } from "./routers/client";
import { projectRouter } from "./routers/project";
import { importRouter } from "./routers/import";
import { connectionRouter } from "./routers/connection";

export const appRouter = createTRPCRouter({
  account: accountRouter,
  firm: firmRouter,
  client: clientRouter,
  project: projectRouter,
  import: importRouter,
  connection: connectionRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
