import { TRPCError } from "@trpc/server";
import { describeError, errorFix, type DescribedError, type ErrorFix } from "@/server/errors";
import type { Locale } from "@/server/i18n/config";
import { translator } from "@/server/i18n/messages";

const FALLBACK_BY_CODE: Record<string, string> = {
  BAD_REQUEST: "invalidInput",
  UNAUTHORIZED: "unauthorized",
  FORBIDDEN: "forbidden",
  NOT_FOUND: "notFound",
  TOO_MANY_REQUESTS: "tooManyRequests",
  CONFLICT: "conflict",
  PRECONDITION_FAILED: "conflict",
  SERVICE_UNAVAILABLE: "internal",
  INTERNAL_SERVER_ERROR: "internal",
};

/** A TRPCError that remembers which message key it was translated from and where the user can fix it. */
export class TranslatedError extends TRPCError {
  constructor(
    code: TRPCError["code"],
    message: string,
    readonly messageKey: string,
    readonly fix: ErrorFix,
    cause?: unknown,
  ) {
    super({ code, message, cause });
  }
}

/**
 * describeError (server/errors.ts) for what a procedure throws. tRPC wraps an error thrown in a resolver in a
 * TRPCError (its `cause`); a TRPCError of our own carries its message key as the message ("unauthorized", "noFirm"),
 * tRPC's own input validation none ("invalidInput"). The TRPCError's own code stays (415, 405 … included).
 */
function describe(err: unknown): DescribedError & { trpcCode: TRPCError["code"] } {
  if (!(err instanceof TRPCError)) {
    const d = describeError(err);
    return { ...d, trpcCode: d.code };
  }
  const wrapped = describeError(err.cause);
  if (wrapped.key !== "internal") return { ...wrapped, trpcCode: wrapped.code };
  const code = (err.code in FALLBACK_BY_CODE ? err.code : "BAD_REQUEST") as DescribedError["code"];
  const key = err.code === "BAD_REQUEST" ? "" : err.message;
  return { key, params: {}, fix: errorFix(key, code), code, trpcCode: err.code };
}

/**
 * Maps anything a procedure threw to a TRPCError with a translated message and where the user can fix it. The user
 * sees a sentence in their language, never a stack trace, an SQL error or a raw upstream body.
 */
export function toTRPCError(err: unknown, locale: Locale): TranslatedError {
  if (err instanceof TranslatedError) return err;
  const t = translator(locale, "errors");
  const d = describe(err);
  let key = d.key;
  if (!key || !t.has(key as never)) key = FALLBACK_BY_CODE[d.trpcCode] ?? "internal";
  const message = t(key as never, d.params as never);
  return new TranslatedError(d.trpcCode, message, key, key === d.key ? d.fix : errorFix(key, d.code), err);
}
