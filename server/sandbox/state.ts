import { randomBytes } from "node:crypto";
import { Clock } from "./clock";
import type { Company } from "./data/company";
import { dayOf, parseIsoDate } from "./data/dates";
import { generateCompany } from "./data/generator";
import { makeOrgNr } from "./data/orgnr";
import { type AccountDimensionSettings, DEFAULT_TENANTS, profileOf, type TenantConfig } from "./data/tenants";
import { type Faults, TenantFaults, validateFaults } from "./faults";
import { SANDBOX_MODULES } from "./api/scopes";
import type { RuntimeOptions, SandboxOptions } from "./options";

export const ALL_SCOPES = [
  "archive", "article", "bookkeeping", "companyinformation", "connectfile", "costcenter", "currency", "customer",
  "inbox", "invoice", "offer", "order", "payment", "price", "print", "profile", "project", "salary", "settings",
  "supplier", "supplierinvoice", "timereporting",
] as const;

export interface StoredFile {
  id: string;
  archiveFileId: string;
  name: string;
  path: string;
  size: number;
  bytes: Uint8Array<ArrayBuffer>;
  contentType: string;
}

export interface FileConnection {
  fileId: string;
  name: string;
  voucherSeries: string;
  voucherNumber: number;
  voucherYear: number;
}

/** One company as the API sees it: generated data (lazily) plus settings the control API can change. */
export class Tenant {
  private co: Company | null = null;
  lockedThrough: number | null;
  /** Last day of the automatic period lock (2002141 on POST), or null. */
  autoLockedThrough: number | null;
  readonly accountSettings: Map<number, AccountDimensionSettings>;
  serviceAccount: boolean;
  /** Client ids a system administrator approved a service account for, with the scopes approved. */
  readonly serviceClients = new Map<string, string>();
  licences: Set<string>;
  modules: Set<string>;
  readonly faults = new TenantFaults();
  readonly files = new Map<string, StoredFile>();
  readonly connections: FileConnection[] = [];

  constructor(
    readonly config: TenantConfig,
    private readonly currentYear: number,
  ) {
    this.lockedThrough =
      config.lockedThrough === undefined ? dayOf(currentYear, 9, 1) - 1 : config.lockedThrough === null ? null : parseIsoDate(config.lockedThrough);
    this.autoLockedThrough = config.autoLockedThrough ? parseIsoDate(config.autoLockedThrough) : null;
    this.accountSettings = new Map(Object.entries(config.accountSettings ?? {}).map(([k, v]) => [Number(k), v]));
    this.serviceAccount = config.serviceAccount ?? false;
    this.licences = new Set(config.licences ?? ALL_SCOPES);
    this.modules = new Set(config.modules ?? SANDBOX_MODULES);
  }

  get id(): number {
    return this.config.tenantId;
  }

  /** The company's data, generated on first use (a 5,000-voucher company takes ~0.1 s). */
  get company(): Company {
    this.co ??= generateCompany({
      profile: profileOf(this.config),
      vouchers: this.config.vouchers,
      previousVouchers: this.config.previousVouchers,
      currentYear: this.currentYear,
      firstYearId: this.config.firstYearId,
      seed: this.config.seed,
      costCenters: this.config.costCenters,
      projects: this.config.projects,
      foreignPartialPayments: this.config.foreignPartialPayments,
    });
    return this.co;
  }
}

export interface CodeGrant {
  clientId: string;
  redirectUri: string;
  scope: string;
  tenantId: number;
  userId: string;
  expMs: number;
  used: boolean;
}

export interface RefreshGrant {
  family: string;
  clientId: string;
  tenantId: number;
  userId: string;
  scope: string;
  expMs: number;
  used: boolean;
  seq: number;
}

export interface AccessGrant {
  family: string | null;
  clientId: string;
  tenantId: number;
  userId: string;
  scopes: Set<string>;
  expMs: number;
  seq: number;
}

export function newCounters() {
  return {
    requests: { total: 0, api: 0, oauth: 0, byTenant: {} as Record<string, number>, sie: 0 },
    tokenGrants: { authorization_code: 0, refresh_token: 0, client_credentials: 0 },
    tokenErrors: 0,
    /** Consents refused with invalid_scope (a scope outside the app's registration). */
    invalidScope: 0,
    revocations: 0,
    rateLimited: 0,
    vouchersPosted: {} as Record<string, number>,
    files: {} as Record<string, number>,
    connections: {} as Record<string, number>,
    faultsInjected: {
      latency: 0, error5xx: 0, storm429: 0, resetBeforeCommit: 0, resetAfterCommit: 0, truncatedSie: 0,
      revokedTenant: 0, sieUnavailable: 0, sieFirstByteDelay: 0,
    },
  };
}
export type Counters = ReturnType<typeof newCounters>;

function inc(map: Record<string, number>, key: number | string): void {
  map[key] = (map[key] ?? 0) + 1;
}

export class SandboxState {
  readonly clock: Clock;
  readonly tenants = new Map<number, Tenant>();
  readonly codes = new Map<string, CodeGrant>();
  readonly refreshTokens = new Map<string, RefreshGrant>();
  readonly access = new Map<string, AccessGrant>();
  readonly revokedFamilies = new Set<string>();
  /** Tokens with seq ≤ this were revoked tenant-wide (the "token revoked mid-job" fault). */
  readonly tenantRevokedSeq = new Map<number, number>();
  readonly rateWindows = new Map<string, number[]>();
  counters: Counters = newCounters();
  seq = 0;
  readonly currentYear: number;
  /** The unsettled behaviours, as options set them and POST /control/options changes them (until a reset). */
  readonly runtime: RuntimeOptions;

  constructor(
    readonly options: SandboxOptions,
    clock?: Clock,
  ) {
    this.clock = clock ?? new Clock();
    this.currentYear = options.currentYear ?? new Date(this.clock.nowMs()).getUTCFullYear();
    this.runtime = {
      voucherListComments: options.voucherListComments ?? false,
      fileConnectionNotFoundStatus: options.fileConnectionNotFoundStatus ?? 400,
      voucherNotFoundStatus: options.voucherNotFoundStatus ?? 400,
      lockedPeriodNone: options.lockedPeriodNone ?? "omitted",
      lockedPeriodIncludesAutoLock: options.lockedPeriodIncludesAutoLock ?? false,
      retryAfterHeader: options.retryAfterHeader ?? false,
      uploadFieldNames: options.uploadFieldNames ?? ["file"],
    };
    for (const cfg of resolveTenants(options)) this.tenants.set(cfg.tenantId, new Tenant(cfg, this.currentYear));
    for (const [key, f] of Object.entries(options.faults ?? {})) this.setFaults(key === "*" ? "*" : Number(key), validateFaults(f));
  }

  tenant(id: number): Tenant | undefined {
    return this.tenants.get(id);
  }

  setFaults(target: number | "*", faults: Faults): void {
    for (const t of this.targets(target)) t.faults.set(faults);
  }
  clearFaults(target: number | "*"): void {
    for (const t of this.targets(target)) t.faults.clear();
  }
  private targets(target: number | "*"): Tenant[] {
    if (target === "*") return [...this.tenants.values()];
    const t = this.tenants.get(target);
    if (!t) throw new Error(`unknown tenant ${target}`);
    return [t];
  }

  revokeTenant(tenantId: number): void {
    this.tenantRevokedSeq.set(tenantId, this.seq);
    this.counters.faultsInjected.revokedTenant++;
  }

  /** Killed by the "token revoked mid-job" fault (every token of the tenant issued so far). */
  isRevokedByFault(tenantId: number, seq: number): boolean {
    return seq <= (this.tenantRevokedSeq.get(tenantId) ?? -1);
  }

  /** A refresh token dies with its grant (/revoke) or by the fault. Access tokens only by the fault: Fortnox cannot
   * revoke them, they live until they expire (docs/fortnox-api.md §1). */
  isRefreshRevoked(tenantId: number, seq: number, family: string): boolean {
    return this.revokedFamilies.has(family) || this.isRevokedByFault(tenantId, seq);
  }

  countVoucher(tenantId: number) {
    inc(this.counters.vouchersPosted, tenantId);
  }
  countFile(tenantId: number) {
    inc(this.counters.files, tenantId);
  }
  countConnection(tenantId: number) {
    inc(this.counters.connections, tenantId);
  }
  countRequest(tenantId: number) {
    inc(this.counters.requests.byTenant, tenantId);
  }

  snapshot() {
    return {
      now: new Date(this.clock.nowMs()).toISOString(),
      clockOffsetSeconds: this.clock.offsetMs / 1000,
      currentYear: this.currentYear,
      options: this.runtime,
      ...this.counters,
      tenants: [...this.tenants.values()].map((t) => ({
        tenantId: t.id,
        name: t.config.name,
        orgNr: t.config.orgNr,
        vouchers: t.config.vouchers,
        serviceAccount: t.serviceAccount,
        licences: [...t.licences],
        modules: [...t.modules],
        faults: t.faults.f,
        files: t.files.size,
        connections: t.connections.length,
      })),
    };
  }
}

export function newToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

export const MIN_VOUCHERS = 100;
export const MAX_VOUCHERS = 1_000_000;

function resolveTenants(o: SandboxOptions): TenantConfig[] {
  const defaults = new Map(DEFAULT_TENANTS.map((t) => [t.tenantId, t]));
  const list: TenantConfig[] = o.tenants
    ? o.tenants.map((t, i) => {
        const base = defaults.get(t.tenantId);
        return {
          name: `Testbolag ${t.tenantId} AB`,
          orgNr: makeOrgNr(String(550_000_000 + (t.tenantId % 10_000_000)).slice(0, 9)),
          vouchers: 200,
          firstYearId: 1 + i * 10,
          ...base,
          ...t,
        } as TenantConfig;
      })
    : DEFAULT_TENANTS.map((t) => ({ ...t }));
  for (const t of list) {
    if (typeof o.vouchers === "number") t.vouchers = o.vouchers;
    else if (o.vouchers?.[t.tenantId] !== undefined) t.vouchers = o.vouchers[t.tenantId];
    // The generator is exact from ~75 vouchers up (twelve months of salaries, VAT and closing entries come first);
    // below that it would silently make more than asked. The supported range: 100 to 1,000,000.
    if (!Number.isSafeInteger(t.vouchers) || t.vouchers < MIN_VOUCHERS || t.vouchers > MAX_VOUCHERS) {
      throw new Error(`tenant ${t.tenantId}: vouchers must be ${MIN_VOUCHERS}..${MAX_VOUCHERS}`);
    }
  }
  return list;
}
