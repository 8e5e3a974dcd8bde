import type { Faults } from "./faults";
import type { TenantConfig } from "./data/tenants";

export type EndpointKey =
  | "me" | "companyinformation" | "financialyears" | "accounts" | "vouchers" | "voucherseries" | "sie"
  | "invoices" | "invoicepayments" | "supplierinvoices" | "supplierinvoicepayments" | "inbox" | "archive"
  | "voucherfileconnections" | "lockedperiod";

export interface SandboxOptions {
  /** Path prefix: "" standalone, "/sandbox/fortnox" mounted in Next. */
  basePath?: string;
  /** Serve /control/* (default true). */
  control?: boolean;
  /**
   * The app registrations (developer portal). `scopes`: what the registration holds; /oauth-v1/auth refuses any
   * other with invalid_scope before login, as Fortnox does. Default: the scopes the app's features need.
   */
  clients?: { clientId: string; clientSecret: string; scopes?: string[] }[];
  /** Replaces the default tenants; entries with a default's tenantId are merged onto it. */
  tenants?: (Partial<TenantConfig> & { tenantId: number })[];
  /** Voucher count of the current year (100 to 1,000,000) for every tenant, or per tenantId. */
  vouchers?: number | Record<number, number>;
  /** Current financial year (calendar year); default the clock's year. The previous one is year - 1. */
  currentYear?: number;
  accessTokenTtlSeconds?: number;
  refreshTokenTtlSeconds?: number;
  codeTtlSeconds?: number;
  /** HTTP status of "Invalid refresh token" (UNCONFIRMED in Fortnox's docs): 400 (default) or 401. */
  invalidRefreshStatus?: 400 | 401;
  /** Rate limit per client id + tenant; false disables it. Default 25 per 5000 ms. */
  rateLimit?: { limit: number; windowMs: number } | false;
  /** Send Retry-After on 429 (UNCONFIRMED). Default false: a client must back off on its own. */
  retryAfterHeader?: boolean;
  /**
   * Multipart field names accepted for uploads (UNCONFIRMED: the OpenAPI file's clients send "file", the .NET SDK
   * sent "Filedata"). Default ["file"] only: one name, never both, so a client that cannot cope with the other fails.
   */
  uploadFieldNames?: string[];
  /** Content-Type of SIE answers (UNCONFIRMED; default "application/octet-stream"). */
  sieContentType?: string;
  /**
   * A JSON Accept on GET /3/sie/{type}: "refuse" (default) answers error 1000030 "Invalid response type (Accept)",
   * as Fortnox does for a response type it cannot give; "tolerate" sends the file anyway (UNCONFIRMED which one).
   */
  sieAcceptJson?: "refuse" | "tolerate";
  /** Scopes that grant an endpoint (any of). Defaults in api/scopes.ts. */
  endpointScopes?: Partial<Record<EndpointKey, string[]>>;
  /** Faults per tenantId, "*" for all tenants. */
  faults?: Record<string, Faults>;
  /** `/3/supplierinvoices` with fromdate/todate: Fortnox documents neither for it (default "ignore"). */
  supplierInvoiceDateFilter?: "ignore" | "honour";
  /** `/3/supplierinvoicepayments?invoicenumber=`: undocumented for supplier payments (default "ignore"). */
  supplierPaymentInvoiceNumberFilter?: "ignore" | "honour";
  /** Wrapper key of `GET /3/me`: "MeInformation" (OpenAPI file, default) or "Me" (.NET SDK). */
  meEnvelope?: "MeInformation" | "Me";
  /** Refuse a "+" for the space in lastmodified (default true). Off where a host re-encodes the query before the
   * sandbox sees it (the Next.js mount), so the client's own encoding cannot be judged there. */
  checkQueryEncoding?: boolean;
  /** Secret that signs the JWT-shaped access tokens. */
  jwtSecret?: string;
  // Unsettled answers of the export's endpoints; each default is the harder one for a client.
  // Changeable at run time through POST /control/options.
  /** GET /3/vouchers items carry `Comments` (UNCONFIRMED: Fortnox's own example has none). Default false. */
  voucherListComments?: boolean;
  /** GET /3/voucherfileconnections/{id} for an unknown id (UNCONFIRMED): 400 with ErrorInformation (default) or 404. */
  fileConnectionNotFoundStatus?: 400 | 404;
  /** GET /3/vouchers/{series}/{number} for a number that does not exist (UNCONFIRMED): 400 with ErrorInformation (default) or 404. */
  voucherNotFoundStatus?: 400 | 404;
  /** /3/settings/lockedperiod with nothing locked (UNCONFIRMED): "omitted" `{LockedPeriod: {}}` (default), "empty" `EndDate: ""`. */
  lockedPeriodNone?: "omitted" | "empty";
  /** /3/settings/lockedperiod also reports the automatic period lock (UNCONFIRMED). Default false. */
  lockedPeriodIncludesAutoLock?: boolean;
}

/** The options POST /control/options may change while the sandbox runs. */
export type RuntimeOptions = Pick<
  SandboxOptions,
  "voucherListComments" | "fileConnectionNotFoundStatus" | "voucherNotFoundStatus" | "lockedPeriodNone" | "lockedPeriodIncludesAutoLock" | "retryAfterHeader" | "uploadFieldNames"
>;

const UPLOAD_FIELD_NAMES = ["file", "Filedata"] as const;

export function validateRuntimeOptions(input: unknown): RuntimeOptions {
  if (!input || typeof input !== "object") throw new Error("options must be an object");
  const out: RuntimeOptions = {};
  for (const [k, v] of Object.entries(input)) {
    if (k === "voucherListComments" || k === "lockedPeriodIncludesAutoLock" || k === "retryAfterHeader") {
      if (typeof v !== "boolean") throw new Error(`${k} must be true or false`);
      out[k] = v;
    } else if (k === "fileConnectionNotFoundStatus" || k === "voucherNotFoundStatus") {
      if (v !== 400 && v !== 404) throw new Error(`${k} must be 400 or 404`);
      out[k] = v;
    } else if (k === "lockedPeriodNone") {
      if (v !== "omitted" && v !== "empty") throw new Error("lockedPeriodNone must be omitted or empty");
      out[k] = v;
    } else if (k === "uploadFieldNames") {
      if (!Array.isArray(v) || v.length === 0 || !v.every((n) => (UPLOAD_FIELD_NAMES as readonly string[]).includes(n))) {
        throw new Error(`uploadFieldNames must be a non-empty list of ${UPLOAD_FIELD_NAMES.join(", ")}`);
      }
      out[k] = [...v];
    } else throw new Error(`unknown option "${k}"`);
  }
  return out;
}

/** Reads SANDBOX_* variables: SANDBOX_CLIENT_ID/SECRET/SCOPES, SANDBOX_VOUCHERS ("N" or "id=N,id=N"), SANDBOX_FAULTS (JSON),
 * SANDBOX_YEAR, SANDBOX_REFRESH_ERROR_STATUS (400|401), SANDBOX_RATE_LIMIT ("off" or "25/5000"),
 * SANDBOX_VOUCHER_LIST_COMMENTS (on|off), SANDBOX_FILE_CONNECTION_NOT_FOUND (400|404), SANDBOX_VOUCHER_NOT_FOUND (400|404), SANDBOX_LOCKED_PERIOD_NONE
 * (omitted|empty), SANDBOX_LOCKED_PERIOD_AUTO (on|off), SANDBOX_RETRY_AFTER (on|off), SANDBOX_UPLOAD_FIELD
 * (file|Filedata|both). */
export function optionsFromEnv(env: Record<string, string | undefined> = process.env): SandboxOptions {
  const scopes = env.SANDBOX_CLIENT_SCOPES?.trim();
  const o: SandboxOptions = {
    clients: [{
      clientId: env.SANDBOX_CLIENT_ID || "sandbox-client",
      clientSecret: env.SANDBOX_CLIENT_SECRET || "sandbox-secret",
      ...(scopes ? { scopes: scopes.split(/[\s,]+/).filter(Boolean) } : {}),
    }],
  };
  const v = env.SANDBOX_VOUCHERS?.trim();
  if (v) {
    if (/^\d+$/.test(v)) o.vouchers = Number(v);
    else {
      const per: Record<number, number> = {};
      for (const part of v.split(",")) {
        const m = /^\s*(\d+)\s*=\s*(\d+)\s*$/.exec(part);
        if (!m) throw new Error(`SANDBOX_VOUCHERS: cannot read "${part}" (use N or tenantId=N,…)`);
        per[Number(m[1])] = Number(m[2]);
      }
      o.vouchers = per;
    }
  }
  if (env.SANDBOX_FAULTS) o.faults = JSON.parse(env.SANDBOX_FAULTS);
  if (env.SANDBOX_YEAR) o.currentYear = Number(env.SANDBOX_YEAR);
  if (env.SANDBOX_REFRESH_ERROR_STATUS === "401") o.invalidRefreshStatus = 401;
  const rl = env.SANDBOX_RATE_LIMIT;
  if (rl === "off") o.rateLimit = false;
  else if (rl && /^\d+\/\d+$/.test(rl)) {
    const [limit, windowMs] = rl.split("/").map(Number);
    o.rateLimit = { limit, windowMs };
  }
  if (env.SANDBOX_CONTROL === "off") o.control = false;
  const onOff = (name: string): boolean | undefined => {
    const v = env[name];
    if (v === undefined || v === "") return undefined;
    if (v === "on" || v === "off") return v === "on";
    throw new Error(`${name}: use on or off`);
  };
  const listComments = onOff("SANDBOX_VOUCHER_LIST_COMMENTS");
  if (listComments !== undefined) o.voucherListComments = listComments;
  const retryAfter = onOff("SANDBOX_RETRY_AFTER");
  if (retryAfter !== undefined) o.retryAfterHeader = retryAfter;
  const upload = env.SANDBOX_UPLOAD_FIELD?.trim();
  if (upload === "both") o.uploadFieldNames = [...UPLOAD_FIELD_NAMES];
  else if (upload === "file" || upload === "Filedata") o.uploadFieldNames = [upload];
  else if (upload) throw new Error("SANDBOX_UPLOAD_FIELD: use file, Filedata or both");
  const autoLock = onOff("SANDBOX_LOCKED_PERIOD_AUTO");
  if (autoLock !== undefined) o.lockedPeriodIncludesAutoLock = autoLock;
  const fc = env.SANDBOX_FILE_CONNECTION_NOT_FOUND;
  if (fc === "400" || fc === "404") o.fileConnectionNotFoundStatus = Number(fc) as 400 | 404;
  else if (fc) throw new Error("SANDBOX_FILE_CONNECTION_NOT_FOUND: use 400 or 404");
  const vn = env.SANDBOX_VOUCHER_NOT_FOUND;
  if (vn === "400" || vn === "404") o.voucherNotFoundStatus = Number(vn) as 400 | 404;
  else if (vn) throw new Error("SANDBOX_VOUCHER_NOT_FOUND: use 400 or 404");
  const lp = env.SANDBOX_LOCKED_PERIOD_NONE;
  if (lp === "omitted" || lp === "empty") o.lockedPeriodNone = lp;
  else if (lp) throw new Error("SANDBOX_LOCKED_PERIOD_NONE: use omitted or empty");
  if (env.SANDBOX_SIE_ACCEPT_JSON === "tolerate") o.sieAcceptJson = "tolerate";
  const pick = <T extends string>(name: string, allowed: readonly T[]): T | undefined => {
    const v = env[name]?.trim();
    if (!v) return undefined;
    if (!(allowed as readonly string[]).includes(v)) throw new Error(`${name}: use ${allowed.join(" or ")}`);
    return v as T;
  };
  const dates = pick("SANDBOX_SUPPLIERINVOICE_DATES", ["ignore", "honour"] as const);
  if (dates) o.supplierInvoiceDateFilter = dates;
  const payNumber = pick("SANDBOX_SUPPLIERPAYMENT_INVOICENUMBER", ["ignore", "honour"] as const);
  if (payNumber) o.supplierPaymentInvoiceNumberFilter = payNumber;
  const me = pick("SANDBOX_ME_ENVELOPE", ["MeInformation", "Me"] as const);
  if (me) o.meEnvelope = me;
  return o;
}
