import { TRPCError } from "@trpc/server";
import { DomainError } from "@/server/errors";
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

/** A TRPCError that remembers which message key it was translated from. */
export class TranslatedError extends TRPCError {
  constructor(
    code: TRPCError["code"],
    message: string,
    readonly messageKey: string,
    cause?: unknown,
  ) {
    super({ code, message, cause });
  }
}

/**
 * Maps anything a procedure threw to a TRPCError with a translated message. The user sees a sentence in their
 * language, never a stack trace, an SQL error or a raw upstream body.
 */
export function toTRPCError(err: unknown, locale: Locale): TRPCError {
  if (err instanceof TranslatedError) return err;
  const t = translator(locale, "errors");
  const domain = err instanceof DomainError ? err : err instanceof TRPCError && err.cause instanceof DomainError ? err.cause : null;
  const code: TRPCError["code"] = domain ? domain.code : err instanceof TRPCError ? err.code : "INTERNAL_SERVER_ERROR";
  let key = domain?.key ?? (err instanceof TRPCError && code !== "BAD_REQUEST" ? err.message : "");
  if (!key || !t.has(key as never)) key = FALLBACK_BY_CODE[code] ?? "internal";
  const message = t(key as never, (domain?.params ?? {}) as never);
  return new TranslatedError(code, message, key, err);
}
