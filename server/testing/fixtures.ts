import type { Db } from "@/db/client";
import { createCaller } from "@/server/api/root";
import type { Locale } from "@/server/i18n/config";

let seq = 0;
const unique = () => `${Date.now().toString(36)}${(seq++).toString(36)}`;

/** A tRPC caller as a given user (or signed out), exactly as the HTTP handler would build it. */
export function callerFor(db: Db, userId: string | null, locale: Locale = "sv") {
  return createCaller({ db, userId, locale });
}

/** A signed-up user who created a firm with one client and one closing project. */
export async function firmWithData(db: Db, label: string, orgNr = "5560360793") {
  const anon = callerFor(db, null);
  const user = await anon.account.signUp({ name: `User ${label}`, email: `${label}-${unique()}@example.se`, password: "correct horse battery" });
  const caller = callerFor(db, user.id);
  const firm = await caller.firm.create({ name: `Byrå ${label}` });
  const client = await caller.client.create({ name: `Klient ${label} AB`, orgNr });
  const project = await caller.project.create({ clientId: client.id, startDate: "2025-01-01", endDate: "2025-12-31", dataSource: "fortnox" });
  return { user, caller, firm, client, project };
}
