// The export run (run.ts) and what its callers need of it.
export { EXPORT_STEPS, type ExportProgress, type ExportRunOptions, type ExportRunResult, type ExportStep } from "./options";
export { runExport } from "./run";
export { classifyWriteError, type Verdict } from "./verdict";
