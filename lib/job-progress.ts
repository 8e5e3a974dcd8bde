// Written by the job runner on the server, read by the progress bar in the browser.

/** What the progress bar shows: the current step of a fixed list, and a count within it. */
export interface JobProgress {
  step: string;
  stepIndex: number;
  stepCount: number;
  done: number;
  /** Null while the total is unknown (a stream of unknown length). */
  total: number | null;
  /** Seconds left, when the step can tell (the REST fallback at Fortnox's rate limit). */
  etaSeconds?: number | null;
}
