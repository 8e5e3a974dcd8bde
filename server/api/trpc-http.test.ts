import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { DbHandle } from "@/db/client";
import { invites } from "@/db/schema";
import { SIGN_UP_RULE } from "@/server/auth/throttle";
import { dbTargets } from "@/server/testing/db";
import { firmWithData } from "@/server/testing/fixtures";
import { createTrpcHttpHandler, MAX_BATCH_SIZE } from "./http-handler";

// The tRPC route over HTTP: JSON POSTs from the app's own origin only, a bounded batch, and sign-up
// limited per source address.

const APP = "http://localhost:3000";
const target = dbTargets()[0];

describe("the tRPC route", () => {
  let h: DbHandle;
  let a: Awaited<ReturnType<typeof firmWithData>>;
  let signedIn: string | null = null;
  let source = "198.51.100.20";
  const handler = () => createTrpcHttpHandler(async (_req, resHeaders) => ({ db: h.db, userId: signedIn, locale: "sv", resHeaders, sourceIp: source }));
  const post = (path: string, body: string | FormData, headers: Record<string, string>) =>
    handler()(new Request(`${APP}/api/trpc/${path}`, { method: "POST", body, headers }));
  const inviteCount = async () => (await h.db.select().from(invites).where(eq(invites.firmId, a.firm.id))).length;

  beforeAll(async () => {
    h = await target.open();
    a = await firmWithData(h.db, "http");
    signedIn = a.user.id;
  });
  afterAll(() => h?.close());

  it("a cross-site multipart/form-data POST does not run firm.createInvite", async () => {
    const before = await inviteCount();
    const form = new FormData();
    form.set("x", "1");
    for (const headers of [{ origin: "https://evil.example" }, {}, { origin: "null" }, { "sec-fetch-site": "cross-site" }] as Record<string, string>[]) {
      const res = await post("firm.createInvite", form, headers);
      expect(res.status, JSON.stringify(headers)).toBeGreaterThanOrEqual(400);
    }
    // Not even with the app's own Origin: tRPC here speaks JSON only.
    expect((await post("firm.createInvite", form, { origin: APP })).status).toBe(415);
    expect((await post("firm.createInvite", "{}", { origin: APP, "content-type": "text/plain" })).status).toBe(415);
    expect(await inviteCount()).toBe(before);
  });

  it("a JSON POST needs the app's own Origin (or Sec-Fetch-Site: same-origin)", async () => {
    const before = await inviteCount();
    const json = { "content-type": "application/json" };
    expect((await post("firm.createInvite", "{}", { ...json, origin: "https://evil.example" })).status).toBe(403);
    expect((await post("firm.createInvite", "{}", { ...json, origin: "http://localhost:3000.evil.example" })).status).toBe(403);
    expect((await post("firm.createInvite", "{}", json)).status).toBe(403);
    expect(await inviteCount()).toBe(before);
    expect((await post("firm.createInvite", "{}", { ...json, origin: APP })).status).toBe(200);
    expect((await post("firm.createInvite", "{}", { ...json, "sec-fetch-site": "same-origin" })).status).toBe(200);
    expect(await inviteCount()).toBe(before + 2);
  });

  it("GET queries need no Origin", async () => {
    const res = await handler()(new Request(`${APP}/api/trpc/firm.members`));
    expect(res.status).toBe(200);
  });

  it("a batch larger than the limit is refused before anything runs", async () => {
    const paths = Array.from({ length: MAX_BATCH_SIZE + 1 }, () => "firm.members").join(",");
    expect((await handler()(new Request(`${APP}/api/trpc/${paths}?batch=1&input={}`))).status).toBe(400);
    const ok = Array.from({ length: MAX_BATCH_SIZE }, () => "firm.members").join(",");
    expect((await handler()(new Request(`${APP}/api/trpc/${ok}?batch=1&input={}`))).status).toBe(200);
  });

  it("sign-up is limited per source: one batch of sign-ups gets the allowance and no more", async () => {
    signedIn = null;
    source = "198.51.100.77";
    const n = Math.min(MAX_BATCH_SIZE, SIGN_UP_RULE.free + 3);
    const body: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) body[i] = { json: { name: `Ny ${i}`, email: `ny-${i}-${Date.now()}@example.se`, password: "correct horse battery" } };
    const path = Array.from({ length: n }, () => "account.signUp").join(",");
    const res = await post(`${path}?batch=1`, JSON.stringify(body), { "content-type": "application/json", origin: APP });
    const results = (await res.json()) as { result?: unknown; error?: { json: { data: { code: string } } } }[];
    // The attempt that uses up the allowance still runs; the wait starts after it.
    expect(results.filter((r) => r.result).length).toBe(SIGN_UP_RULE.free + 1);
    expect(results.filter((r) => r.error?.json.data.code === "TOO_MANY_REQUESTS").length).toBe(n - SIGN_UP_RULE.free - 1);
    // Another source is not affected.
    source = "198.51.100.78";
    const other = await post("account.signUp", JSON.stringify({ json: { name: "Annan", email: `annan-${Date.now()}@example.se`, password: "correct horse battery" } }), { "content-type": "application/json", origin: APP });
    expect(other.status).toBe(200);
  });
});
