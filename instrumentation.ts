// Next.js calls register() once per server instance (Node.js runtime only: both need the database): this
// instance's job worker, and the timer that keeps Fortnox connections alive.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startJobWorker } = await import("./server/jobs/worker");
  startJobWorker();
  const { startKeepAliveSchedule } = await import("./server/connections/schedule");
  startKeepAliveSchedule();
}
