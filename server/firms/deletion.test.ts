import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { resultRows, type DbHandle } from "@/db/client";
import { activityLog, blobs, fortnoxConnections } from "@/db/schema";
import { handleSieUpload } from "@/server/api/sie-files";
import { uploadAttachment } from "@/server/closing/attachments";
import { connectDirectly, connectionCaller, startTestbed, type Testbed } from "@/server/connections/testing";
import { writeBlob } from "@/server/files/blob-store";
import { sweepUnreferencedBlobs, BLOB_GRACE_MS } from "@/server/files/sweep";
import { startSieImport } from "@/server/import/project-imports";
import { dbTargets } from "@/server/testing/db";
import { pdfBytes } from "@/server/testing/files";
import { firmWithData } from "@/server/testing/fixtures";
import { demoSieBytes, DEMO_ORG_NR, importSie, useSieImports } from "@/server/testing/ledger";

// Deleting a project or a client leaves nothing of it behind (attachment bytes, uploaded SIE files, the
// imported ledger's partitions), a client's Fortnox grant is revoked on the way (best effort: Fortnox unreachable
// does not stop the deletion, and the activity log says so), and a periodic sweep removes file bytes nothing refers to.

async function* once(bytes: Uint8Array) {
  yield bytes;
}

for (const target of dbTargets()) {
  describe(`deleting clients and projects (${target.name})`, () => {
    let h: DbHandle;
    let bed: Testbed;
    beforeAll(async () => {
      h = await target.open();
      bed = await startTestbed();
      useSieImports();
    });
    afterAll(async () => {
      await bed?.close();
      await h?.close();
    });

    const blobCount = async (firmId: string) => (await h.db.select({ id: blobs.id }).from(blobs).where(eq(blobs.firmId, firmId))).length;
    const partitions = async (importId: string) => {
      const suffix = importId.replace(/-/g, "");
      const rows = resultRows<{ n: number }>(await h.db.execute(sql`select count(*)::int as n from pg_class where relname in (${`ledger_rows_${suffix}`}, ${`ledger_vouchers_${suffix}`})`));
      return Number(rows[0].n);
    };

    /** A project with an imported year, an attachment and a SIE upload queued behind it. */
    async function workedProject(f: Awaited<ReturnType<typeof firmWithData>>, project = f.project) {
      const ref = { firmId: f.firm.id, projectId: project.id, userId: f.user.id };
      const imp = await importSie(h.db, ref, demoSieBytes({ vouchers: 50 }));
      await uploadAttachment(h.db, ref, { account: "1930" }, "kontoutdrag.pdf", once(pdfBytes()));
      await startSieImport(h.db, ref, "nästa.se", once(demoSieBytes({ vouchers: 20 })));
      return imp;
    }

    it("a project takes its attachment bytes, its uploaded SIE file and its ledger with it, and nothing else", async () => {
      const f = await firmWithData(h.db, `del-p-${target.name}`);
      const other = await f.caller.project.create({ clientId: f.client.id, startDate: "2024-01-01", endDate: "2024-12-31", dataSource: "sie" });
      const imp = await workedProject(f);
      const otherBlob = await writeBlob(h.db, f.firm.id, once(new Uint8Array([1, 2, 3])), { maxBytes: 10 });
      await startSieImport(h.db, { firmId: f.firm.id, projectId: other.id, userId: f.user.id }, "annat.se", once(demoSieBytes({ vouchers: 20 })));
      expect(await blobCount(f.firm.id)).toBe(4); // attachment, queued upload, the other project's upload, a loose blob
      expect(await partitions(imp.id)).toBe(2);

      await f.caller.project.delete({ projectId: f.project.id });
      expect(await partitions(imp.id)).toBe(0);
      // What remains: the other project's queued upload and the loose blob (the sweep's business).
      expect(await blobCount(f.firm.id)).toBe(2);
      expect((await h.db.select().from(blobs).where(eq(blobs.id, otherBlob.id))).length).toBe(1);
      await f.caller.project.delete({ projectId: other.id });
      expect(await blobCount(f.firm.id)).toBe(1);
    });

    it("a client revokes its Fortnox grant, and loses its projects' bytes and ledgers", async () => {
      const f = await firmWithData(h.db, `del-c-${target.name}`, DEMO_ORG_NR);
      const imp = await workedProject(f);
      await connectDirectly(h.db, bed, { userId: f.user.id, clientId: f.client.id });
      const revocations = bed.sandbox.sandbox.state.counters.revocations;
      const { caller } = connectionCaller(h.db, bed, f.user.id);
      await caller.client.delete({ clientId: f.client.id });
      expect(bed.sandbox.sandbox.state.counters.revocations).toBe(revocations + 1);
      expect(await h.db.select().from(fortnoxConnections).where(eq(fortnoxConnections.firmId, f.firm.id))).toEqual([]);
      expect(await blobCount(f.firm.id)).toBe(0);
      expect(await partitions(imp.id)).toBe(0);
      const [entry] = await h.db.select().from(activityLog).where(and(eq(activityLog.firmId, f.firm.id), eq(activityLog.action, "client.deleted")));
      expect(entry.details).toMatchObject({ name: f.client.name, fortnoxGrant: "revoked" });
    });

    it("Fortnox out of reach does not stop the deletion; the activity log says the grant may still be live", async () => {
      const f = await firmWithData(h.db, `del-off-${target.name}`, DEMO_ORG_NR);
      await connectDirectly(h.db, bed, { userId: f.user.id, clientId: f.client.id });
      bed.offline = true;
      try {
        const { caller } = connectionCaller(h.db, bed, f.user.id);
        await caller.client.delete({ clientId: f.client.id });
      } finally {
        bed.offline = false;
      }
      expect(await f.caller.client.list()).toEqual([]);
      expect(await h.db.select().from(fortnoxConnections).where(eq(fortnoxConnections.firmId, f.firm.id))).toEqual([]);
      const entries = await h.db.select().from(activityLog).where(eq(activityLog.firmId, f.firm.id));
      expect(entries.find((e) => e.action === "client.deleted")?.details).toMatchObject({ fortnoxGrant: "notRevoked" });
      expect(entries.find((e) => e.action === "fortnox.revokeFailed")).toMatchObject({ outcome: "failure" });
    });

    it("the sweep removes bytes nothing refers to once they are older than the grace period", async () => {
      const f = await firmWithData(h.db, `sweep-${target.name}`);
      await workedProject(f); // an attachment and a queued upload: referenced, kept
      const loose = await writeBlob(h.db, f.firm.id, once(new Uint8Array([1])), { maxBytes: 10 });
      const [incomplete] = await h.db.insert(blobs).values({ firmId: f.firm.id }).returning();
      const now = new Date();
      expect(await sweepUnreferencedBlobs(h.db, now)).toBe(0); // all younger than the grace period
      const later = new Date(now.getTime() + BLOB_GRACE_MS + 60_000);
      expect(await sweepUnreferencedBlobs(h.db, later)).toBeGreaterThanOrEqual(2);
      const left = (await h.db.select({ id: blobs.id }).from(blobs).where(eq(blobs.firmId, f.firm.id))).map((b) => b.id);
      expect(left).not.toContain(loose.id);
      expect(left).not.toContain(incomplete.id);
      expect(left.length).toBe(2);
    });

    it("a malformed x-file-name on the SIE upload is a clear 400 and stores nothing", async () => {
      const f = await firmWithData(h.db, `name-${target.name}`);
      const before = await blobCount(f.firm.id);
      for (const name of ["%E0%A4%A", "%", "a%0Ab.se", "x".repeat(300)]) {
        const res = await handleSieUpload(
          new Request(`http://app.test/api/projects/${f.project.id}/sie`, {
            method: "POST", headers: { "x-file-name": name, origin: "http://app.test", "content-type": "application/octet-stream" }, body: demoSieBytes({ vouchers: 20 }) as unknown as BodyInit,
          }),
          f.project.id,
          async () => ({ db: h.db, userId: f.user.id, locale: "sv" }),
        );
        expect(res.status, name).toBe(400);
        expect((await res.json()).message).toMatch(/filnamn/i);
      }
      expect(await blobCount(f.firm.id)).toBe(before);
    });
  });
}
