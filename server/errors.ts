import { FORTNOX_NETWORK_ERROR_KINDS, type FortnoxApiErrorKind, type FortnoxAuthErrorKind } from "@/server/fortnox/errors";

/**
 * The one error vocabulary. Domain code throws a DomainError with a message key from messages/*.json (namespace
 * "errors"); Fortnox code throws the typed errors of server/fortnox/errors.ts. describeError turns either (or
 * anything else) into what the user reads: one key, its parameters, and where they can fix it. The tRPC middleware
 * (server/api/errors.ts), the route handlers and the jobs all go through it; the UI acts on `fix`, never on the key.
 */
export type DomainErrorCode = "NOT_FOUND" | "FORBIDDEN" | "BAD_REQUEST" | "CONFLICT" | "UNAUTHORIZED" | "TOO_MANY_REQUESTS" | "PRECONDITION_FAILED" | "SERVICE_UNAVAILABLE";
export type ErrorCode = DomainErrorCode | "INTERNAL_SERVER_ERROR";

/**
 * Where the user can fix it: `connection` the client's Fortnox page (connect, reconnect, confirm, more permissions);
 * `fortnoxLicence` the customer's Fortnox subscription; `fortnoxApp` a setting or the books in Fortnox itself
 * (financial year, locked period, account); `import` fetch the year's data first; `input` what they entered or
 * chose here; `retry` nothing to fix, try again later; `signIn` sign in; `permission` a firm owner or membership;
 * `support` whoever runs the app.
 */
export type ErrorFix = "connection" | "fortnoxLicence" | "fortnoxApp" | "import" | "input" | "retry" | "signIn" | "permission" | "support";

export interface DescribedError {
  key: string;
  params: Record<string, string | number>;
  fix: ErrorFix;
  code: ErrorCode;
}

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

// Exhaustive per kind (a new kind does not compile until it says where the user fixes it).
const FORTNOX_API_FIX: Record<FortnoxApiErrorKind, ErrorFix> = {
  invalid_login: "connection",
  unauthorized: "connection",
  missing_scope: "connection",
  no_api_licence: "fortnoxLicence",
  no_licence_for_scope: "fortnoxLicence",
  account_not_found: "fortnoxApp",
  account_inactive: "fortnoxApp",
  period_locked: "fortnoxApp",
  period_auto_locked: "fortnoxApp",
  dimension_refused: "fortnoxApp",
  invalid_parameter: "input",
  invalid_characters: "input",
  series_not_manual: "input",
  rate_limited: "retry",
  server_error: "retry",
  unexpected_response: "retry",
  unknown: "retry",
  bad_body: "support",
  not_found: "support",
};

const FORTNOX_AUTH_FIX: Record<FortnoxAuthErrorKind, ErrorFix> = {
  refresh_token_dead: "connection",
  invalid_grant: "connection",
  access_denied: "connection",
  invalid_request: "retry",
  rate_limited: "retry",
  server_error: "retry",
  unknown: "retry",
  invalid_client: "support",
  invalid_scope: "support",
  unauthorized_client: "support",
  unsupported_grant_type: "support",
};

/** Keys whose fix is not their code's default (below), among them the connection's own keys (server/connections). */
const FIX_BY_KEY: Record<string, ErrorFix> = {
  ...Object.fromEntries(Object.entries(FORTNOX_API_FIX).map(([k, f]) => [`fortnox.error.${k}`, f])),
  ...Object.fromEntries(Object.entries(FORTNOX_AUTH_FIX).map(([k, f]) => [`fortnox.error.auth.${k}`, f])),
  ...Object.fromEntries(FORTNOX_NETWORK_ERROR_KINDS.map((k) => [`fortnox.error.network.${k}`, "retry" as const])),
  "fortnox.error.needs_reconnect": "connection",
  "fortnox.error.invalid_voucher": "input",
  fortnoxNotConnected: "connection",
  fortnoxPendingConfirmation: "connection",
  fortnoxNeedsReconnect: "connection",
  fortnoxServiceRevoked: "connection",
  fortnoxConnectionError: "connection",
  fortnoxMissingScope: "connection",
  fortnoxConsentDenied: "connection",
  exportAttachmentScopesMissing: "connection",
  fortnoxNoLicence: "fortnoxLicence",
  fortnoxNoApiLicence: "fortnoxLicence",
  fortnoxServiceNotApproved: "fortnoxApp",
  fortnoxYearMissing: "fortnoxApp",
  exportNoFinancialYear: "fortnoxApp",
  exportPeriodLocked: "fortnoxApp",
  exportAccountMissing: "fortnoxApp",
  exportAccountInactive: "fortnoxApp",
  closingNoImport: "import",
  fortnoxUnreachable: "retry",
  fortnoxUnavailable: "retry",
  fortnoxRequestFailed: "retry",
  jobAlreadyActive: "retry",
  jobInterrupted: "retry",
  fortnoxClientRejected: "support",
  fortnoxInvalidScope: "support",
  internal: "support",
};

const FIX_BY_CODE: Record<ErrorCode, ErrorFix> = {
  BAD_REQUEST: "input",
  NOT_FOUND: "input",
  CONFLICT: "input",
  PRECONDITION_FAILED: "input",
  FORBIDDEN: "permission",
  UNAUTHORIZED: "signIn",
  TOO_MANY_REQUESTS: "retry",
  SERVICE_UNAVAILABLE: "retry",
  INTERNAL_SERVER_ERROR: "support",
};

/** The keys given a fix of their own (a test holds them to the messages). */
export const KEYS_WITH_FIX: readonly string[] = Object.keys(FIX_BY_KEY);

/** Where the user fixes the error a key names: also for keys stored earlier (a failed job's errorKey). */
export function errorFix(key: string, code?: ErrorCode): ErrorFix {
  return (Object.hasOwn(FIX_BY_KEY, key) ? FIX_BY_KEY[key] : undefined) ?? (code ? FIX_BY_CODE[code] : "input");
}

/**
 * What the user reads about any error. Errors that carry their own key keep it: domain errors (SIE and import
 * problems included) and every Fortnox error (API, OAuth, network, a connection found dead, a voucher Fortnox would
 * refuse). A Fortnox error the user can only wait out is SERVICE_UNAVAILABLE, any other PRECONDITION_FAILED;
 * anything else is "internal" (the caller logs it).
 */
export function describeError(err: unknown): DescribedError {
  if (err instanceof DomainError) return { key: err.key, params: err.params, fix: errorFix(err.key, err.code), code: err.code };
  // Fortnox errors (server/fortnox/errors.ts FortnoxError and its kin) carry their key as `translationKey`.
  const e = err as { translationKey?: unknown; params?: unknown } | null;
  if (e && typeof e.translationKey === "string") {
    const fix = errorFix(e.translationKey);
    const params = (e.params as Record<string, string | number>) ?? {};
    return { key: e.translationKey, params, fix, code: fix === "retry" ? "SERVICE_UNAVAILABLE" : "PRECONDITION_FAILED" };
  }
  return { key: "internal", params: {}, fix: "support", code: "INTERNAL_SERVER_ERROR" };
}
