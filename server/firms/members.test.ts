import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { handleAttachmentDownload } from "@/server/api/attachment-files";
import { dbTargets } from "@/server/testing/db";
import { callerFor, firmWithData } from "@/server/testing/fixtures";

// Only an owner manages the firm (invites, members, roles, its name); a link admits one person unless
// the owner chose more (bounded); links are listed with who made them and can be revoked; a removed member sees
// nothing of the firm from the next request on, whatever session they still hold.

let n = 0;
const person = async (h: DbHandle, name: string) =>
  callerFor(h.db, null).account.signUp({ name, email: `${name.toLowerCase()}-${Date.now().toString(36)}-${n++}@example.se`, password: "long enough pw" });

for (const target of dbTargets()) {
  describe(`members and invites (${target.name})`, () => {
    let h: DbHandle;
    let a: Awaited<ReturnType<typeof firmWithData>>;
    /** A member (not an owner) of firm A. */
    let member: { id: string; caller: ReturnType<typeof callerFor> };

    const join = async (name: string, token: string) => {
      const u = await person(h, name);
      const caller = callerFor(h.db, u.id);
      await caller.firm.acceptInvite({ token });
      return { id: u.id, caller };
    };

    beforeAll(async () => {
      h = await target.open();
      a = await firmWithData(h.db, "owner");
      member = await join("Medlem", (await a.caller.firm.createInvite({})).token);
    });
    afterAll(() => h?.close());

    it("a link is single-use by default: the second person is refused", async () => {
      const invite = await a.caller.firm.createInvite({});
      expect(invite.maxUses).toBe(1);
      await join("Första", invite.token);
      const second = callerFor(h.db, (await person(h, "Andra")).id);
      await expect(second.firm.acceptInvite({ token: invite.token })).rejects.toMatchObject({ code: "NOT_FOUND", message: expect.stringContaining("ogiltig") });
      expect(await callerFor(h.db, null).firm.describeInvite({ token: invite.token })).toBeNull();
      expect((await second.account.me()).firm).toBeNull();
    });

    it("the owner may allow more uses, within a bound", async () => {
      const invite = await a.caller.firm.createInvite({ maxUses: 3 });
      for (const name of ["Tre1", "Tre2", "Tre3"]) await join(name, invite.token);
      await expect(join("Tre4", invite.token)).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(a.caller.firm.createInvite({ maxUses: 21 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
      await expect(a.caller.firm.createInvite({ maxUses: 0 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    });

    it("links are listed with who made them and when, and a revoked link admits no one", async () => {
      const invite = await a.caller.firm.createInvite({ maxUses: 5 });
      const listed = (await a.caller.firm.invites()).find((i) => i.id === invite.id)!;
      expect(listed).toMatchObject({ createdByName: "User owner", maxUses: 5, used: 0, status: "active", revokedAt: null });
      expect(Date.now() - listed.createdAt.getTime()).toBeLessThan(60_000);
      expect(JSON.stringify(listed)).not.toContain(invite.token);
      await a.caller.firm.revokeInvite({ inviteId: invite.id });
      expect((await a.caller.firm.invites()).find((i) => i.id === invite.id)).toMatchObject({ status: "revoked", revokedByName: "User owner" });
      expect(await callerFor(h.db, null).firm.describeInvite({ token: invite.token })).toBeNull();
      await expect(join("Sen", invite.token)).rejects.toMatchObject({ code: "NOT_FOUND" });
    });

    it("a member manages nothing: no invites, no list of links, no removals, no roles, no renaming", async () => {
      const own = await a.caller.firm.createInvite({});
      for (const call of [
        () => member.caller.firm.createInvite({}),
        () => member.caller.firm.invites(),
        () => member.caller.firm.revokeInvite({ inviteId: own.id }),
        () => member.caller.firm.removeMember({ userId: a.user.id }),
        () => member.caller.firm.setRole({ userId: member.id, role: "owner" }),
        () => member.caller.firm.rename({ name: "Kapad" }),
      ]) {
        await expect(call()).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringContaining("ägare") });
      }
      expect((await a.caller.firm.invites()).find((i) => i.id === own.id)?.status).toBe("active");
      expect((await member.caller.firm.members()).map((m) => m.role).sort()).toContain("owner");
      // Members do see who is in the firm.
      expect((await member.caller.firm.members()).length).toBeGreaterThan(2);
    });

    it("the last owner cannot be removed or demoted; with two owners one may go", async () => {
      await expect(a.caller.firm.removeMember({ userId: a.user.id })).rejects.toMatchObject({ code: "CONFLICT" });
      await expect(a.caller.firm.setRole({ userId: a.user.id, role: "member" })).rejects.toMatchObject({ code: "CONFLICT" });
      // A firm of its own for the race, so the tests below keep firm A's owner whoever wins.
      const f = await firmWithData(h.db, "race");
      const second = await join("Delägare", (await f.caller.firm.createInvite({})).token);
      await f.caller.firm.setRole({ userId: second.id, role: "owner" });
      // Both owners try to remove the other at the same moment: one of them stays.
      const results = await Promise.allSettled([f.caller.firm.removeMember({ userId: second.id }), second.caller.firm.removeMember({ userId: f.user.id })]);
      expect(results.filter((r) => r.status === "fulfilled").length).toBe(1);
      const winner = results[0].status === "fulfilled" ? f.caller : second.caller;
      expect((await winner.firm.members()).map((m) => m.role)).toEqual(["owner"]);
    });

    it("a removed member sees nothing of the firm from the next request on", async () => {
      const gone = await join("Borta", (await a.caller.firm.createInvite({})).token);
      expect((await gone.caller.client.list()).map((c) => c.id)).toEqual([a.client.id]);
      await a.caller.firm.removeMember({ userId: gone.id });
      // The same session (the caller is built from the user id, as the session cookie gives it).
      await expect(gone.caller.client.list()).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(gone.caller.client.get({ clientId: a.client.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(gone.caller.project.get({ projectId: a.project.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(gone.caller.firm.members()).rejects.toMatchObject({ code: "FORBIDDEN" });
      expect((await gone.caller.account.me()).firm).toBeNull();
      const download = await handleAttachmentDownload(
        new Request(`http://app.test/api/projects/${a.project.id}/attachments/00000000-0000-4000-8000-000000000000`),
        a.project.id,
        "00000000-0000-4000-8000-000000000000",
        async () => ({ db: h.db, userId: gone.id, locale: "sv" }),
      );
      expect(download.status).toBe(403);
      expect((await a.caller.firm.members()).map((m) => m.id)).not.toContain(gone.id);
    });

    it("only the owner renames the firm", async () => {
      await a.caller.firm.rename({ name: "Nytt Namn AB" });
      expect((await member.caller.account.me()).firm?.name).toBe("Nytt Namn AB");
    });
  });
}
