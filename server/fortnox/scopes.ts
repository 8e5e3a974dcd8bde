// The OAuth scopes the app asks Fortnox for, by feature (Fortnox's scope list:
// https://www.fortnox.se/developer/guides-and-good-to-know/scopes). Fortnox refuses the whole consent with
// `invalid_scope`, before the user logs in, when we ask for a scope the app's registration in the developer portal
// lacks; and a customer's licence needs follow from what we ask. So: only what a feature uses, and the attachment
// scopes only when an export carries attachments (a second consent the first time).

/** Asked at every connect: import (SIE, ledgers) and export of vouchers. Each scope grants read and write. */
export const FORTNOX_BASE_SCOPES = [
  // Financial years, accounts, vouchers, voucher series, SIE export (SIE's own scope is undocumented; bookkeeping
  // owns everything a SIE file holds), and posting the closing vouchers.
  "bookkeeping",
  // GET /companyinformation: company name, organisation number, DatabaseNumber.
  "companyinformation",
  // GET /invoices: the customer ledger at the closing date (specifies 1510).
  "invoice",
  // GET /invoicepayments and /supplierinvoicepayments: Fortnox's scope page puts both payment lists here.
  "payment",
  // GET /supplierinvoices: the supplier ledger at the closing date (specifies 2440).
  "supplierinvoice",
  // GET /settings/lockedperiod: the locked-period pre-check of the export. Whether Fortnox wants settings or
  // bookkeeping for it is undocumented; without it the pre-check is skipped (Fortnox still refuses a locked date).
  "settings",
] as const;

/** Asked only when an export carries attachments: upload to the inbox, connect the file to the voucher. */
export const FORTNOX_ATTACHMENT_SCOPES = ["inbox", "connectfile"] as const;

/** Everything a feature of the app may ask for: what the integration must be registered with at Fortnox. */
export const FORTNOX_REGISTERED_SCOPES = [...FORTNOX_BASE_SCOPES, ...FORTNOX_ATTACHMENT_SCOPES] as const;

export type FortnoxScopeName = (typeof FORTNOX_REGISTERED_SCOPES)[number];

/** What a connect asks for: the base set, plus the attachment scopes when wanted or already granted (a reconnect
 * must not silently drop a permission the user gave before). */
export function scopesToRequest(opts: { attachments?: boolean; granted?: readonly string[] } = {}): string[] {
  const keep = new Set(opts.granted ?? []);
  const extra = FORTNOX_ATTACHMENT_SCOPES.filter((s) => opts.attachments || keep.has(s));
  return [...FORTNOX_BASE_SCOPES, ...extra];
}

/** The attachment scopes a connection lacks. An empty stored list means "not known" (old rows): nothing missing. */
export function missingAttachmentScopes(granted: readonly string[]): string[] {
  if (!granted.length) return [];
  return FORTNOX_ATTACHMENT_SCOPES.filter((s) => !granted.includes(s));
}
