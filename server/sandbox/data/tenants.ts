import type { CompanyProfile } from "./company";
import { makeOrgNr } from "./orgnr";

// The demo companies every sandbox starts with. DatabaseNumber = tenantId in the access token.
export interface TenantConfig {
  tenantId: number;
  name: string;
  /** "NNNNNN-NNNN", Luhn-valid. */
  orgNr: string;
  vouchers: number;
  previousVouchers?: number;
  /** Id of the previous financial year; the current one is firstYearId + 1. */
  firstYearId: number;
  seed?: number;
  address?: string;
  zipCode?: string;
  city?: string;
  user?: { id: string; name: string; email: string };
  costCenters?: [string, string][];
  projects?: [string, string][];
  /** Last locked day (YYYY-MM-DD) or null; default: end of August of the current year. */
  lockedThrough?: string | null;
  /** Whether a system administrator approved a service account (client_credentials) for this tenant. */
  serviceAccount?: boolean;
  /** Scopes whose module the tenant has a licence for; default all. */
  licences?: string[];
  /** Fortnox modules the company pays for (api/scopes.ts SANDBOX_MODULES); default all. */
  modules?: string[];
  /** Some foreign-currency invoices are paid in two parts (default: in full, as the data always was). */
  foreignPartialPayments?: boolean;
  /** Last day of Fortnox's automatic period lock ("automatlåsning"), YYYY-MM-DD; default none. */
  autoLockedThrough?: string | null;
  /** CostCenterSettings / ProjectSettings of accounts; accounts not named are ALLOWED for both. */
  accountSettings?: Record<number, AccountDimensionSettings>;
}

export type DimensionSetting = "ALLOWED" | "MANDATORY" | "NOTALLOWED";
export interface AccountDimensionSettings {
  costCenter?: DimensionSetting;
  project?: DimensionSetting;
}

export const DEFAULT_TENANTS: readonly TenantConfig[] = [
  {
    tenantId: 1_234_567,
    name: "Demo Konsult AB",
    orgNr: "556677-8899",
    vouchers: 500,
    firstYearId: 1,
    address: "Storgatan 12",
    zipCode: "111 22",
    city: "Stockholm",
    user: { id: "1", name: "Anna Andersson", email: "anna@demokonsult.example" },
  },
  {
    tenantId: 2_345_678,
    name: "Nordisk Bygg & Projekt AB",
    orgNr: makeOrgNr("559123456"),
    vouchers: 5_000,
    firstYearId: 7,
    address: "Industrivägen 4",
    zipCode: "753 23",
    city: "Uppsala",
    user: { id: "2", name: "Erik Öberg", email: "erik@nordiskbygg.example" },
    costCenters: [
      ["100", "Ledning"],
      ["200", "Försäljning"],
      ["300", "Produktion"],
      ["400", "Administration"],
    ],
    projects: [
      ["P101", "Kv. Eken, Uppsala"],
      ["P102", "Brf Måsen stambyte"],
      ["P103", "Villa Åkersberga"],
      ["P104", "Kontor Göteborg"],
    ],
    serviceAccount: true,
    // A company that books costs per site: rent, fuel and phone need a cost centre, material a project, and the
    // bank and supplier accounts take neither.
    accountSettings: {
      5010: { costCenter: "MANDATORY" },
      5611: { costCenter: "MANDATORY" },
      6212: { costCenter: "MANDATORY" },
      4010: { project: "MANDATORY" },
      1930: { costCenter: "NOTALLOWED", project: "NOTALLOWED" },
      2440: { costCenter: "NOTALLOWED", project: "NOTALLOWED" },
    },
  },
  {
    tenantId: 3_456_789,
    name: "Åkesson & Ödman Handel AB",
    orgNr: makeOrgNr("556012345"),
    vouchers: 300,
    firstYearId: 21,
    address: "Hamngatan 1",
    zipCode: "211 22",
    city: "Malmö",
    user: { id: "3", name: "Åsa Ödman", email: "asa@akesson-odman.example" },
    lockedThrough: null, // nothing locked
  },
  {
    // Bookkeeping without the invoicing module, as many clients of accounting firms have: invoices are written in
    // another program and booked by hand, so 1510 has a balance but Fortnox has no invoices to specify it with.
    tenantId: 4_567_890,
    name: "Berglund Snickeri AB",
    orgNr: makeOrgNr("559234567"),
    vouchers: 300,
    firstYearId: 31,
    address: "Verkstadsgatan 7",
    zipCode: "582 73",
    city: "Linköping",
    user: { id: "4", name: "Maja Berglund", email: "maja@berglundsnickeri.example" },
    modules: ["bookkeeping", "supplierinvoicing"],
  },
];

export function profileOf(t: TenantConfig): CompanyProfile {
  return {
    tenantId: t.tenantId,
    name: t.name,
    orgNr: t.orgNr,
    address: t.address ?? "Testgatan 1",
    zipCode: t.zipCode ?? "123 45",
    city: t.city ?? "Stockholm",
    user: t.user ?? { id: String(t.tenantId), name: "Test Användare", email: "test@example.com" },
  };
}
