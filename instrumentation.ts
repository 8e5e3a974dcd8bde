// Next.js calls register() once per server instance when it starts (Node.js runtime only: all of this needs the
// database): the environment check (a refused production start stops here and says why), this instance's job
// worker, the timer that keeps Fortnox connections alive, and the sweep of leftover file bytes.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { checkEnvironmentAtStart } = await import("./server/startup");
  if (!checkEnvironmentAtStart()) return;
  const { startJobWorker } = await import("./server/jobs/worker");
  startJobWorker();
  const { startKeepAliveSchedule } = await import("./server/connections/keep-alive-timer");
  startKeepAliveSchedule();
  const { startMaintenanceSchedule } = await import("./server/maintenance");
  startMaintenanceSchedule();
}
