import { TRPCError } from "@trpc/server";
import { DomainError } from "@/server/errors";
import type { Locale } from "@/server/i18n/config";
import { translator } from "@/server/i18n/messages";

/** Maps anything a procedure threw to a TRPCError whose message is a key in the "errors" namespace. */
export function toTRPCError(err: unknown): TRPCError {
  if (err instanceof TRPCError) {
    const cause = err.cause;
    if (cause instanceof DomainError) return fromDomain(cause);
    return err;
  }
  if (err instanceof DomainError) return fromDomain(err);
  return new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "internal", cause: err });
}

function fromDomain(e: DomainError): TRPCError {
  return new TRPCError({ code: e.code, message: e.key, cause: e });
}

const FALLBACK_BY_CODE: Record<string, string> = {
  BAD_REQUEST: "invalidInput",
  UNAUTHORIZED: "unauthorized",
  FORBIDDEN: "forbidden",
  NOT_FOUND: "notFound",
  TOO_MANY_REQUESTS: "tooManyRequests",
  CONFLICT: "conflict",
  INTERNAL_SERVER_ERROR: "internal",
};

/** The user sees a translated sentence, never a stack trace or a raw upstream body. */
export function translateError(error: TRPCError, locale: Locale): { key: string; message: string } {
  const t = translator(locale, "errors");
  const domain = error.cause instanceof DomainError ? error.cause : null;
  const params = domain?.params ?? {};
  let key = domain?.key ?? error.message;
  if (!t.has(key as never)) key = FALLBACK_BY_CODE[error.code] ?? "internal";
  return { key, message: t(key as never, params as never) };
}
