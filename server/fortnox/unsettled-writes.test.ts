import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sandboxApi } from "@/server/import/testing/sandbox-api";
import type { SandboxServer } from "@/server/sandbox/server";
import { connect, control, FULL_SCOPE, start } from "@/server/sandbox/testing/helpers";
import { FortnoxApiError } from "./errors";

// Two answers Fortnox does not settle, each in every setting the sandbox can take, over real HTTP:
// the upload's multipart field name, and whether a 429 carries Retry-After.

const T = 1_234_567;
const pdf = { name: "kvitto.pdf", bytes: new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d]), contentType: "application/pdf" };

let s: SandboxServer;
beforeAll(async () => {
  s = await start({ rateLimit: { limit: 4, windowMs: 1000 } });
});
afterAll(() => s.close());
beforeEach(() => control(s.url, "reset", {}));

const apiRequests = async () => (await control(s.url, "state")).body.requests.api as number;
const files = async () => ((await control(s.url, "state")).body.files[T] ?? 0) as number;

describe("inbox upload: the file part's name", () => {
  it("the sandbox's default takes one name only, as a real Fortnox would", async () => {
    const { api } = await sandboxApi(s.url, T, {}, FULL_SCOPE);
    await expect(api.uploadToInbox(pdf, { fieldName: "Filedata" })).rejects.toMatchObject({ status: 400 });
    expect(await files()).toBe(0);
  });

  it.each([
    { accepts: ["file"], requests: [1, 1] },
    { accepts: ["Filedata"], requests: [2, 1] }, // one refused try, then the working name is kept
    { accepts: ["file", "Filedata"], requests: [1, 1] },
  ])("a Fortnox that accepts $accepts: every upload lands once", async ({ accepts, requests }) => {
    await control(s.url, "options", { uploadFieldNames: accepts });
    const { api } = await sandboxApi(s.url, T, {}, FULL_SCOPE);
    const sent: number[] = [];
    for (const name of ["a.pdf", "b.pdf"]) {
      const before = await apiRequests();
      const f = await api.uploadToInbox({ ...pdf, name });
      sent.push((await apiRequests()) - before);
      expect(f).toMatchObject({ name, size: 5 });
    }
    expect(sent).toEqual(requests);
    expect(await files()).toBe(2);
  });

  it("a refusal for another reason is not retried into a second file", async () => {
    await control(s.url, "options", { uploadFieldNames: ["file"] });
    const { api } = await sandboxApi(s.url, T, {}, "bookkeeping companyinformation"); // no inbox scope
    const err = await api.uploadToInbox(pdf).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FortnoxApiError);
    expect((err as FortnoxApiError).status).not.toBe(400);
    expect(await files()).toBe(0);
  });
});

describe("429 with and without Retry-After", () => {
  it.each([{ retryAfterHeader: false }, { retryAfterHeader: true }])("with retryAfterHeader=$retryAfterHeader the reads finish, each once", async (opt) => {
    await control(s.url, "options", opt);
    const { api, client } = await sandboxApi(s.url, T, { backoffBaseMs: 200, backoffMaxMs: 1000 }, FULL_SCOPE);
    // Ten reads at once against a limit of 4 per second: the sandbox refuses some, the client waits and retries.
    const answers = await Promise.all(Array.from({ length: 10 }, () => api.getCompanyInformation()));
    expect(answers.map((a) => a.companyName)).toEqual(Array(10).fill("Demo Konsult AB"));
    const state = (await control(s.url, "state")).body;
    expect(client.counters.http429).toBe(state.rateLimited);
  });

  it("the sandbox sends Retry-After only when set to", async () => {
    const raw = async () => {
      const { access_token } = await connect(s.url);
      let last: Response | undefined;
      for (let i = 0; i < 6; i++) last = await fetch(`${s.url}/3/companyinformation`, { headers: { authorization: `Bearer ${access_token}` } });
      return last!;
    };
    const quiet = await raw();
    expect(quiet.status).toBe(429);
    expect(quiet.headers.get("retry-after")).toBeNull();
    await control(s.url, "reset", {});
    await control(s.url, "options", { retryAfterHeader: true });
    const told = await raw();
    expect(told.status).toBe(429);
    expect(Number(told.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });
});
