// An in-process timer for housekeeping that every app instance may run (each task is safe when several instances
// run it at once): one per name and process, never two runs of a task at the same time, never keeping the process
// alive. The composition root (server/worker.ts) decides what runs and how often.

type Timers = ReturnType<typeof setTimeout>[];
const KEY = Symbol.for("skatt-bokslut.periodic");
type Holder = { [KEY]?: Map<string, Timers> };

export function startPeriodic(name: string, task: () => Promise<void>, opts: { everyMs: number; firstAfterMs: number }): void {
  const g = globalThis as Holder;
  const started = (g[KEY] ??= new Map());
  if (started.has(name)) return;
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      await task();
    } catch (err) {
      console.error(`${name} failed: ${(err as Error)?.message}`);
    } finally {
      running = false;
    }
  };
  const first = setTimeout(run, opts.firstAfterMs);
  const every = setInterval(run, opts.everyMs);
  first.unref();
  every.unref();
  started.set(name, [first, every]);
}
