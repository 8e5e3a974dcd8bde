import { randomUUID } from "node:crypto";
import { createFortnoxClient, type FortnoxClientOptions } from "@/server/fortnox/http";
import { createFortnoxOAuth } from "@/server/fortnox/oauth";
import { createFortnoxApi, type FortnoxApi } from "@/server/fortnox/resources";
import { clientAuthFor, createTokenManager, InMemoryTokenStore } from "@/server/fortnox/token-manager";
import { CLIENT_ID, CLIENT_SECRET, connect } from "@/server/sandbox/testing/helpers";

/**
 * A real Fortnox client for one sandbox tenant: OAuth consent and code exchange over HTTP, tokens in memory,
 * refresh through the token manager. What server/connections does with the database, minus the database.
 */
export async function sandboxApi(sandboxUrl: string, tenantId: number, opts: Partial<FortnoxClientOptions> = {}, scope?: string) {
  const tokens = await connect(sandboxUrl, { tenantId, scope });
  const store = new InMemoryTokenStore();
  const connectionId = randomUUID();
  store.put({
    connectionId, accessToken: tokens.access_token, accessTokenExpiresAt: Date.now() + tokens.expires_in * 1000,
    refreshToken: tokens.refresh_token, tenantId: String(tenantId), status: "active",
  });
  const oauth = createFortnoxOAuth({ oauthUrl: `${sandboxUrl}/oauth-v1`, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
  const manager = createTokenManager({ store, oauth });
  const client = createFortnoxClient({ apiUrl: `${sandboxUrl}/3`, ...clientAuthFor(manager, connectionId), backoffBaseMs: 20, backoffMaxMs: 200, ...opts });
  return { api: createFortnoxApi(client), client, store, connectionId };
}

/**
 * Every payment with its AmountCurrency, the slow and sure way: Fortnox's payment lists carry none, so each
 * foreign-currency payment is read on its own. The truth that fetchLedgersAtDate's few requests must equal.
 */
export async function everyPaymentWithCurrency(api: FortnoxApi) {
  const read = async <P extends { currency: string; number: number | null }>(list: P[], single: (n: number) => Promise<P>) => {
    const out: P[] = [];
    for (const p of list) out.push(p.currency === "SEK" || p.number === null ? p : await single(p.number));
    return out;
  };
  return {
    customer: await read(await api.listInvoicePayments(), api.getInvoicePayment),
    supplier: await read(await api.listSupplierInvoicePayments(), api.getSupplierInvoicePayment),
  };
}
