/**
 * Typed domain errors. Domain code throws these with a message key from messages/*.json (namespace "errors");
 * server/api/errors.ts maps them to TRPCError codes and translates the key for the user.
 */
export type DomainErrorCode = "NOT_FOUND" | "FORBIDDEN" | "BAD_REQUEST" | "CONFLICT" | "UNAUTHORIZED" | "TOO_MANY_REQUESTS" | "PRECONDITION_FAILED" | "SERVICE_UNAVAILABLE";

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    readonly key: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(key);
    this.name = "DomainError";
  }
}

export const notFound = (what = "notFound") => new DomainError("NOT_FOUND", what);
export const badRequest = (key: string, params?: Record<string, string | number>) => new DomainError("BAD_REQUEST", key, params);
export const conflict = (key: string, params?: Record<string, string | number>) => new DomainError("CONFLICT", key, params);
export const forbidden = (key = "forbidden") => new DomainError("FORBIDDEN", key);

/**
 * What the user reads about any error: a message key of the "errors" namespace and its parameters. Errors that
 * carry their own key (domain errors, Fortnox errors, SIE errors) keep it; anything else is "internal".
 */
export function describeError(err: unknown): { key: string; params: Record<string, string | number> } {
  if (err instanceof DomainError) return { key: err.key, params: err.params };
  const e = err as { translationKey?: unknown; params?: unknown } | null;
  if (e && typeof e.translationKey === "string") {
    return { key: e.translationKey, params: (e.params as Record<string, string | number>) ?? {} };
  }
  return { key: "internal", params: {} };
}
