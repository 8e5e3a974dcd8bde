// Typed errors for everything that can go wrong talking to Fortnox.
// `message` is for developers and logs (Fortnox's parsed message text, never a raw body, never a token);
// the UI shows `translationKey` (+ `params`) only.

export type FortnoxApiErrorKind =
  | "invalid_login"
  | "invalid_parameter"
  | "no_api_licence"
  | "no_licence_for_scope"
  | "missing_scope"
  | "account_not_found"
  | "bad_body"
  | "period_locked"
  | "period_auto_locked"
  | "invalid_characters"
  | "dimension_refused"
  | "series_not_manual"
  | "account_inactive"
  | "not_found"
  | "rate_limited"
  | "server_error"
  | "unauthorized"
  | "unexpected_response"
  | "unknown";

export const FORTNOX_API_ERROR_KINDS: readonly FortnoxApiErrorKind[] = [
  "invalid_login",
  "invalid_parameter",
  "no_api_licence",
  "no_licence_for_scope",
  "missing_scope",
  "account_not_found",
  "bad_body",
  "period_locked",
  "period_auto_locked",
  "invalid_characters",
  "dimension_refused",
  "series_not_manual",
  "account_inactive",
  "not_found",
  "rate_limited",
  "server_error",
  "unauthorized",
  "unexpected_response",
  "unknown",
];

export type FortnoxAuthErrorKind =
  | "refresh_token_dead"
  | "invalid_grant"
  | "invalid_client"
  | "access_denied"
  | "invalid_request"
  | "invalid_scope"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "rate_limited"
  | "server_error"
  | "unknown";

export const FORTNOX_AUTH_ERROR_KINDS: readonly FortnoxAuthErrorKind[] = [
  "refresh_token_dead",
  "invalid_grant",
  "invalid_client",
  "access_denied",
  "invalid_request",
  "invalid_scope",
  "unauthorized_client",
  "unsupported_grant_type",
  "rate_limited",
  "server_error",
  "unknown",
];

export type FortnoxNetworkErrorKind = "timeout" | "first_byte_timeout" | "reset" | "connect" | "dns" | "aborted" | "unknown";

export const FORTNOX_NETWORK_ERROR_KINDS: readonly FortnoxNetworkErrorKind[] = [
  "timeout",
  "first_byte_timeout",
  "reset",
  "connect",
  "dns",
  "aborted",
  "unknown",
];

export type TranslationParams = Record<string, string | number>;

/** Base class so callers can `instanceof FortnoxError` and always find a translation key. */
export abstract class FortnoxError extends Error {
  abstract readonly translationKey: string;
  params: TranslationParams = {};
}

export class FortnoxApiError extends FortnoxError {
  override name = "FortnoxApiError";
  readonly status: number;
  readonly code?: number;
  readonly kind: FortnoxApiErrorKind;
  /** 2000401: the last locked date ("t.o.m. 2024-12-31"), when Fortnox names it. */
  readonly lockedUntil?: string;
  /** account_inactive / account_not_found: the account number when the message names it. */
  readonly account?: number;
  /** series_not_manual: the series code when the message names it. */
  readonly series?: string;
  /** rate_limited: how long Fortnox asked us to wait, when it said. */
  readonly retryAfterMs?: number;
  /**
   * True when a non-idempotent request (POST) got an answer that does not tell whether Fortnox
   * applied it (5xx). Look the voucher up before sending it again.
   */
  readonly maybeCommitted: boolean;

  constructor(init: {
    status: number;
    code?: number;
    message: string;
    kind: FortnoxApiErrorKind;
    lockedUntil?: string;
    account?: number;
    series?: string;
    retryAfterMs?: number;
    maybeCommitted?: boolean;
  }) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    this.kind = init.kind;
    this.lockedUntil = init.lockedUntil;
    this.account = init.account;
    this.series = init.series;
    this.retryAfterMs = init.retryAfterMs;
    this.maybeCommitted = init.maybeCommitted ?? false;
    if (init.lockedUntil) this.params.date = init.lockedUntil;
    if (init.account !== undefined) this.params.account = init.account;
    if (init.series) this.params.series = init.series;
  }

  get translationKey(): string {
    return `fortnox.error.${this.kind}`;
  }
}

export class FortnoxAuthError extends FortnoxError {
  override name = "FortnoxAuthError";
  readonly status: number;
  readonly kind: FortnoxAuthErrorKind;
  /** The OAuth `error` value as sent (e.g. "invalid_grant"), for logs. */
  readonly oauthError?: string;

  constructor(init: { status: number; kind: FortnoxAuthErrorKind; message: string; oauthError?: string }) {
    super(init.message);
    this.status = init.status;
    this.kind = init.kind;
    this.oauthError = init.oauthError;
  }

  get translationKey(): string {
    return `fortnox.error.auth.${this.kind}`;
  }
}

export class FortnoxNetworkError extends FortnoxError {
  override name = "FortnoxNetworkError";
  readonly kind: FortnoxNetworkErrorKind;
  /**
   * The request may have reached Fortnox and been applied. Always false for failures before a
   * connection existed (DNS, refused). For a POST, true otherwise: fetch cannot tell whether the
   * body was written before a reset or timeout, so we assume it was.
   */
  readonly maybeCommitted: boolean;
  readonly method: string;

  constructor(init: {
    kind: FortnoxNetworkErrorKind;
    message: string;
    maybeCommitted: boolean;
    method: string;
    cause?: unknown;
    params?: TranslationParams;
  }) {
    super(init.message, { cause: init.cause });
    this.kind = init.kind;
    this.maybeCommitted = init.maybeCommitted;
    this.method = init.method;
    if (init.params) this.params = init.params;
  }

  get translationKey(): string {
    return `fortnox.error.network.${this.kind}`;
  }
}

/** True when a failed POST must be checked against Fortnox before it is sent again. */
export function isAmbiguousCommit(err: unknown): boolean {
  return (err instanceof FortnoxNetworkError || err instanceof FortnoxApiError) && err.maybeCommitted;
}

/** Every key the UI needs a text for (next-intl messages). */
export const FORTNOX_TRANSLATION_KEYS: readonly string[] = [
  ...FORTNOX_API_ERROR_KINDS.map((k) => `fortnox.error.${k}`),
  ...FORTNOX_AUTH_ERROR_KINDS.map((k) => `fortnox.error.auth.${k}`),
  ...FORTNOX_NETWORK_ERROR_KINDS.map((k) => `fortnox.error.network.${k}`),
  "fortnox.error.needs_reconnect",
  "fortnox.error.invalid_voucher",
];
