// Runs once when a Next.js server starts. The keep-alive timer lives only in the Node.js runtime (it needs the
// database); the job queue will take it over.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startKeepAliveSchedule } = await import("./server/connections/schedule");
  startKeepAliveSchedule();
}
