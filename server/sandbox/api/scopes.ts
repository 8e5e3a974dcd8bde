import type { EndpointKey } from "../options";

// Which scopes grant each endpoint (any of them). Fortnox documents most of these; the scopes of sie,
// lockedperiod and supplierinvoicepayments are UNCONFIRMED and can be overridden with options.endpointScopes.
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
  supplierinvoicepayments: ["supplierinvoice"],
  inbox: ["inbox"],
  archive: ["archive"],
  voucherfileconnections: ["connectfile"],
};
