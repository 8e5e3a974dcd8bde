// Next.js calls register() once per server instance when it starts (Node.js runtime only: all of this needs the
// database): the environment check (a refused production start stops here and says why), then the background work
// of this instance (server/worker.ts: the job worker, the Fortnox keep-alive and the sweep of leftover file bytes).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { checkEnvironmentAtStart } = await import("./server/startup");
  if (!checkEnvironmentAtStart()) return;
  const { startBackgroundWork } = await import("./server/worker");
  startBackgroundWork();
}
