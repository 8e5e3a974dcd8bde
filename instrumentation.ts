// Next.js calls register() once per server instance: the place to start this instance's job worker.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startJobWorker } = await import("./server/jobs/worker");
  startJobWorker();
}
