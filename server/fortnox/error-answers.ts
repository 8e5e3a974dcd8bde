// Fortnox's answers turned into the typed errors of errors.ts: error bodies (JSON, OAuth or neither), the
// documented error codes, Retry-After, OAuth errors, and Node's network errors.

import { FortnoxApiError, FortnoxAuthError, FortnoxNetworkError, type FortnoxApiErrorKind, type FortnoxAuthErrorKind, type FortnoxNetworkErrorKind } from "./errors";

export interface ParsedErrorBody {
  code?: number;
  message?: string;
  /** OAuth-style `error` ("invalid_grant"). */
  oauthError?: string;
}

const MAX_MESSAGE = 300;

function lowerKeys(v: unknown): Record<string, unknown> | null {
  if (!v || typeof v !== "object" || Array.isArray(v)) return null;
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) out[k.toLowerCase()] = val;
  return out;
}

// Fortnox's responses are "HTML encoded" (Docs, formats & encoding): "Konto 3001 &auml;r inte aktivt" must read as
// the text the code table matches. The named entities are those of Swedish texts and of HTML's specials.
const NAMED_ENTITIES: Record<string, string> = {
  amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0", aring: "å", auml: "ä", ouml: "ö", Aring: "Å",
  Auml: "Ä", Ouml: "Ö", eacute: "é", Eacute: "É", uuml: "ü", Uuml: "Ü", aelig: "æ", oslash: "ø", ndash: "–", mdash: "—",
};

export function decodeHtmlEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === "#") {
      const cp = e[1] === "x" || e[1] === "X" ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1));
      return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    return NAMED_ENTITIES[e] ?? m;
  });
}

function asText(v: unknown): string | undefined {
  if (typeof v === "string" && v.trim() !== "") return decodeHtmlEntities(v).trim().slice(0, MAX_MESSAGE);
  return undefined;
}

/**
 * What a cut-off JSON error body still says: a complete `code` and the `message` (or `error_description`) as far as
 * it came. A gateway or a dropped connection can end the body early; its code still decides the kind.
 */
function salvageTruncatedJson(text: string): ParsedErrorBody | null {
  if (!/^\s*[{[]/.test(text)) return null;
  const code = /"code"\s*:\s*"?\s*(\d+)\s*"?\s*[,}\s]/i.exec(text);
  const msg = /"(?:message|error_description)"\s*:\s*"((?:[^"\\]|\\.)*)/i.exec(text);
  const oauth = /"error"\s*:\s*"((?:[^"\\]|\\.)*)"/i.exec(text);
  let message: string | undefined;
  if (msg) {
    try {
      message = JSON.parse(`"${msg[1]}"`) as string;
    } catch {
      message = msg[1];
    }
  }
  return {
    code: code ? Number(code[1]) : undefined,
    message: asText(message) ?? "truncated error body",
    ...(oauth ? { oauthError: oauth[1] } : {}),
  };
}

function asCode(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "string" && /^\s*\d+\s*$/.test(v)) return Number(v);
  return undefined;
}

/**
 * Accepts every error shape Fortnox is known to send, keys in any casing:
 * {ErrorInformation:{error,message,code}}, {ErrorInformation:{Error,Message,Code:"…"}},
 * {error, error_description}, {message}, JSON cut off before its end (what it still says), and non-JSON text such
 * as a proxy's HTML page (kept short, never shown to users). Messages are HTML-decoded ("&auml;" → "ä").
 */
export function parseErrorBody(text: string): ParsedErrorBody {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const salvaged = salvageTruncatedJson(text);
    if (salvaged) return salvaged;
    const plain = decodeHtmlEntities(text.replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, " ").replace(/<[^>]*>/g, " "))
      .replace(/\s+/g, " ")
      .trim();
    return plain ? { message: plain.slice(0, MAX_MESSAGE) } : {};
  }
  const top = lowerKeys(json);
  if (!top) return typeof json === "string" ? { message: asText(json) } : {};
  const info = lowerKeys(top.errorinformation);
  if (info) {
    return { code: asCode(info.code), message: asText(info.message) ?? asText(info.error) };
  }
  const oauthError = typeof top.error === "string" ? top.error : undefined;
  return {
    code: asCode(top.code),
    message: asText(top.error_description) ?? asText(top.message) ?? asText(top.error),
    oauthError,
  };
}

const CODE_KINDS: Record<number, FortnoxApiErrorKind> = {
  2000310: "invalid_login",
  2000311: "invalid_login",
  2000588: "invalid_parameter",
  2001103: "no_api_licence",
  2001101: "no_licence_for_scope",
  2000663: "missing_scope",
  2001304: "account_not_found",
  2000423: "account_not_found",
  2001392: "bad_body",
  2002115: "bad_body",
  2000401: "period_locked",
  // The automatic period lock ("Bokföringsdatumet ligger i en automatlåst period"), and text outside the
  // character whitelist of Fortnox's "Formats & Encoding" page (server/fortnox/text.ts).
  2002141: "period_auto_locked",
  2000359: "invalid_characters",
};

/** Seconds or an HTTP-date, as RFC 9110 allows; undefined when absent or garbage. */
export function parseRetryAfter(value: string | null | undefined, nowMs = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const date = Date.parse(v);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** Builds the typed error for a non-2xx API answer. */
export function apiErrorFromResponse(init: {
  status: number;
  bodyText: string;
  method: string;
  retryAfterMs?: number;
}): FortnoxApiError {
  const { status } = init;
  const parsed = parseErrorBody(init.bodyText);
  const msg = parsed.message ?? "";
  let kind: FortnoxApiErrorKind | undefined = parsed.code !== undefined ? CODE_KINDS[parsed.code] : undefined;
  let account: number | undefined;
  let series: string | undefined;
  let lockedUntil: string | undefined;

  const inactive = /konto\s+(\d+)\s+är\s+inte\s+aktivt/i.exec(msg);
  const notManual = /verifikationsserien\s+är\s+inte\s+manuell(?:\s*\(\s*([^)]+?)\s*\))?/i.exec(msg);
  if (!kind && inactive) kind = "account_inactive";
  if (!kind && notManual) kind = "series_not_manual";
  if (!kind && /automatlåst/i.test(msg)) kind = "period_auto_locked";
  if (!kind && /låst\s+perioden/i.test(msg)) kind = "period_locked";
  if (!kind && /ej\s+tillåtna\s+tecken/i.test(msg)) kind = "invalid_characters";
  // Cost centre / project refused for an account: the code is undocumented, the text names both (UNCONFIRMED).
  const dimension = /(kostnadsställe|projekt)\b.*?\bkont\w*\s+(\d{4})/i.exec(msg);
  if ((!kind || kind === "invalid_parameter") && dimension) kind = "dimension_refused";
  if (kind === "dimension_refused" && dimension) account = Number(dimension[2]);
  if (inactive) account = Number(inactive[1]);
  if (notManual?.[1]) series = notManual[1];
  if (kind === "account_not_found") {
    const acc = /\b(\d{4})\b/.exec(msg);
    if (acc) account = Number(acc[1]);
  }
  if (kind === "period_locked") {
    const date = /t\.?\s*o\.?\s*m\.?\s*(\d{4}-\d{2}-\d{2})/i.exec(msg) ?? /(\d{4}-\d{2}-\d{2})/.exec(msg);
    if (date) lockedUntil = date[1];
  }
  if (!kind) {
    if (status === 401) kind = "unauthorized";
    else if (status === 403) kind = "unauthorized";
    else if (status === 404) kind = "not_found";
    else if (status === 429) kind = "rate_limited";
    else if (status >= 500) kind = "server_error";
    else kind = "unknown";
  }
  const isPost = init.method.toUpperCase() !== "GET";
  return new FortnoxApiError({
    status,
    code: parsed.code,
    kind,
    message: `Fortnox ${init.method} ${status}${parsed.code ? ` (${parsed.code})` : ""}: ${msg || "no message"}`,
    lockedUntil,
    account,
    series,
    retryAfterMs: init.retryAfterMs,
    // A 5xx on a write does not say whether the write happened.
    maybeCommitted: isPost && status >= 500,
  });
}

const OAUTH_KINDS: Record<string, FortnoxAuthErrorKind> = {
  invalid_grant: "invalid_grant",
  invalid_client: "invalid_client",
  access_denied: "access_denied",
  invalid_request: "invalid_request",
  invalid_scope: "invalid_scope",
  unauthorized_client: "unauthorized_client",
  unsupported_grant_type: "unsupported_grant_type",
  server_error: "server_error",
  temporarily_unavailable: "server_error",
};

/**
 * Error from the OAuth token/revoke endpoints. A refresh that fails with `invalid_grant` or the text
 * "Invalid refresh token" means the refresh token is dead; status 400 and 401 are both accepted
 * because neither is confirmed (docs/fortnox-api.md §4).
 */
export function authErrorFromResponse(init: {
  status: number;
  bodyText: string;
  grantType?: string;
}): FortnoxAuthError {
  const parsed = parseErrorBody(init.bodyText);
  const oauthError = parsed.oauthError?.toLowerCase();
  const text = `${parsed.oauthError ?? ""} ${parsed.message ?? ""}`;
  let kind: FortnoxAuthErrorKind = (oauthError && OAUTH_KINDS[oauthError]) || "unknown";
  const deadText = /invalid[\s_-]*refresh[\s_-]*token/i.test(text);
  if (
    init.grantType === "refresh_token" &&
    (deadText || oauthError === "invalid_grant") &&
    (init.status === 400 || init.status === 401)
  ) {
    kind = "refresh_token_dead";
  } else if (deadText) {
    kind = "refresh_token_dead";
  } else if (kind === "unknown") {
    if (init.status === 429) kind = "rate_limited";
    else if (init.status >= 500) kind = "server_error";
    else if (init.status === 401) kind = "invalid_client";
  }
  return new FortnoxAuthError({
    status: init.status,
    kind,
    oauthError: parsed.oauthError,
    message: `Fortnox OAuth ${init.status}: ${parsed.oauthError ?? ""} ${parsed.message ?? ""}`.trim(),
  });
}

// ---------------------------------------------------------------------------------------------
// Network errors

const CONNECT_CODES = new Set(["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);
const DNS_CODES = new Set(["ENOTFOUND", "EAI_AGAIN"]);
const RESET_CODES = new Set(["ECONNRESET", "EPIPE", "UND_ERR_SOCKET", "UND_ERR_CLOSED", "ECONNABORTED"]);

function errorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 5 && e && typeof e === "object"; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Maps a fetch/stream failure to FortnoxNetworkError. `timedOut` is set by the caller when its own
 * timer fired (an AbortError then means timeout, not a caller abort).
 */
export function networkErrorFrom(err: unknown, method: string, timedOut: boolean): FortnoxNetworkError {
  if (err instanceof FortnoxNetworkError) return err;
  const code = errorCode(err);
  const name = (err as { name?: string } | null)?.name;
  let kind: FortnoxNetworkErrorKind = "unknown";
  if (timedOut || name === "TimeoutError") kind = "timeout";
  else if (name === "AbortError") kind = "aborted";
  else if (code && DNS_CODES.has(code)) kind = "dns";
  else if (code && CONNECT_CODES.has(code)) kind = "connect";
  else if (code && RESET_CODES.has(code)) kind = "reset";
  else if (/terminated|socket|other side closed/i.test(String((err as Error)?.message ?? ""))) kind = "reset";
  // Nothing reached Fortnox when we could not even connect; anything later may have.
  const preConnect = kind === "dns" || kind === "connect";
  const write = method.toUpperCase() !== "GET";
  return new FortnoxNetworkError({
    kind,
    method,
    maybeCommitted: write && !preConnect,
    message: `Fortnox ${method} network error (${kind}${code ? ` ${code}` : ""})`,
    cause: err,
  });
}
