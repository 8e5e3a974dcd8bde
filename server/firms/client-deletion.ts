import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { clients, projects } from "@/db/schema";
import { logActivity } from "@/server/activity/log";
import type { ConnectionRuntime } from "@/server/connections/runtime";
import { removeClientConnection } from "@/server/connections/manage";
import { blobIdsOfProjects, deleteBlobs } from "@/server/files/references";
import { getClient } from "./clients";
import type { FirmActor } from "./membership";

/**
 * Deletes a client and everything it owns: first its Fortnox grant (revoked at Fortnox, best effort: if Fortnox
 * cannot be reached the deletion goes on, the tokens are deleted anyway and the activity log says the grant was not
 * revoked), then its projects with their rows, ledgers and file bytes in one transaction. The activity log entries
 * are the firm's (the client's own entries go with it).
 */
export async function deleteClientWithData(db: Db, runtime: ConnectionRuntime, actor: FirmActor, clientId: string) {
  const client = await getClient(db, actor.firmId, clientId);
  const connection = await removeClientConnection(db, runtime, actor.firmId, clientId);
  if (connection.grant === "notRevoked") {
    await logActivity(db, {
      firmId: actor.firmId, userId: actor.userId, action: "fortnox.revokeFailed", outcome: "failure",
      details: { client: client.name, company: connection.company, databaseNumber: connection.databaseNumber },
    });
  }
  await db.transaction(async (txx) => {
    const tx = txx as unknown as Db;
    const owned = await tx.select({ id: projects.id }).from(projects).where(and(eq(projects.clientId, clientId), eq(projects.firmId, actor.firmId)));
    const blobIds = await blobIdsOfProjects(tx, owned.map((p) => p.id));
    await tx.delete(clients).where(and(eq(clients.id, clientId), eq(clients.firmId, actor.firmId)));
    await deleteBlobs(tx, blobIds);
  });
  await logActivity(db, {
    firmId: actor.firmId, userId: actor.userId, action: "client.deleted", outcome: "success",
    details: { name: client.name, fortnoxGrant: connection.grant },
  });
  return { name: client.name, fortnoxGrant: connection.grant };
}
