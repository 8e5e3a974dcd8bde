import { DomainError } from "@/server/errors";
import { FortnoxApiError, FortnoxAuthError, FortnoxNetworkError, isAmbiguousCommit } from "@/server/fortnox/errors";
import { FortnoxVoucherInputError } from "@/server/fortnox/resources";
import { ConnectionNeedsReconnectError, ConnectionNotFoundError } from "@/server/fortnox/token-manager";

export type Verdict = "ambiguous" | "notApplied" | "fatal" | "rejected";

// Errors that say nothing is wrong with the voucher but the run cannot go on (the connection or its licence).
const FATAL_KINDS = new Set(["unauthorized", "invalid_login", "missing_scope", "no_licence_for_scope", "no_api_licence"]);

/** What a failed write tells us about whether Fortnox applied it. */
export function classifyWriteError(err: unknown): Verdict {
  if (isAmbiguousCommit(err)) return "ambiguous";
  // The token layer fails before a request leaves (or after a 401, which Fortnox refused unprocessed).
  if (err instanceof FortnoxAuthError || err instanceof ConnectionNeedsReconnectError || err instanceof ConnectionNotFoundError) return "fatal";
  if (err instanceof DomainError) return "fatal";
  if (err instanceof FortnoxNetworkError) return "notApplied"; // not maybeCommitted: no connection was made
  if (err instanceof FortnoxVoucherInputError) return "rejected";
  if (err instanceof FortnoxApiError) {
    // A 2xx whose body we could not read: Fortnox did apply something.
    if (err.status >= 200 && err.status < 300) return "ambiguous";
    if (err.status === 429) return "notApplied";
    if (err.status === 401 || FATAL_KINDS.has(err.kind)) return "fatal";
    if (err.status >= 500) return "ambiguous";
    return "rejected";
  }
  // Anything else (a bug, the database) may have struck after the request left: assume it did.
  return "ambiguous";
}

/** A 429 has already paused the client's limiter for Retry-After; anything else not applied backs off here. */
export async function backOff(err: unknown, attempt: number, sleep: (ms: number) => Promise<void>): Promise<void> {
  if (!(err instanceof FortnoxApiError && err.status === 429)) await sleep(Math.min(200 * 2 ** attempt, 5_000));
}

/** Thrown to unwind a run that cannot go on; the reason is kept on the run (ExportRun.fatal). */
export class Fatal extends Error {
  constructor(readonly inner: unknown) {
    super("export stopped");
  }
}
