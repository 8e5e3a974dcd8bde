import type { EndpointKey } from "../options";

// Which scopes grant each endpoint (any of them). Fortnox documents most of these; the scopes of sie and
// lockedperiod are UNCONFIRMED and can be overridden with options.endpointScopes. Both payment lists belong to
// `payment` on Fortnox's scope page (supplier payments are not under `supplierinvoice`).
export const DEFAULT_ENDPOINT_SCOPES: Record<EndpointKey, string[]> = {
  me: ["profile"],
  companyinformation: ["companyinformation"],
  financialyears: ["bookkeeping"],
  accounts: ["bookkeeping"],
  vouchers: ["bookkeeping"],
  voucherseries: ["bookkeeping"],
  sie: ["bookkeeping"],
  lockedperiod: ["settings"],
  invoices: ["invoice"],
  invoicepayments: ["payment", "invoice"],
  supplierinvoices: ["supplierinvoice"],
  supplierinvoicepayments: ["payment"],
  inbox: ["inbox"],
  archive: ["archive"],
  voucherfileconnections: ["connectfile"],
};

/**
 * Fortnox sells modules (Bokföring, Fakturering, Leverantörsfakturor …); a scope the app was granted is of no use
 * when the company lacks the module behind it: 403 with 2001101, after a successful consent. A company with
 * bookkeeping but without invoicing answers both /invoices and /invoicepayments so, whatever scopes were granted.
 */
export const SANDBOX_MODULES = ["bookkeeping", "invoicing", "supplierinvoicing"] as const;
export type SandboxModule = (typeof SANDBOX_MODULES)[number];

export const ENDPOINT_MODULE: Partial<Record<EndpointKey, SandboxModule>> = {
  financialyears: "bookkeeping",
  accounts: "bookkeeping",
  vouchers: "bookkeeping",
  voucherseries: "bookkeeping",
  sie: "bookkeeping",
  voucherfileconnections: "bookkeeping",
  invoices: "invoicing",
  invoicepayments: "invoicing",
  supplierinvoices: "supplierinvoicing",
  supplierinvoicepayments: "supplierinvoicing",
};

export const NO_LICENCE_TEXT = "Det finns ingen aktiv licens för önskat scope.";
