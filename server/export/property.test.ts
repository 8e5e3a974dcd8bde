import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db, DbHandle } from "@/db/client";
import { SlidingWindowLimiter } from "@/server/fortnox/limiter";
import { sandboxApi } from "@/server/import/testing/sandbox-api";
import { control, start } from "@/server/sandbox/testing/helpers";
import type { SandboxServer } from "@/server/sandbox/server";
import { dbTargets } from "@/server/testing/db";
import { firmWithData } from "@/server/testing/fixtures";
import { runExport, type ExportRunOptions } from "./run";
import * as outbox from "./outbox";
import { expectExactlyOnce, makeVouchers, MemorySource, sandboxTruth, TENANT, withListSettings, YEAR } from "./testing/harness";
import type { ExportHooks } from "./types";

// Random sequences of submitting (also twice at once), running (also two workers at once), crashing at any hook
// and faults on the wire; afterwards the outbox is recovered as a user would (run again until nothing is left).
// Whatever the sequence: every submitted voucher is in Fortnox exactly once with its attachments, the outbox
// agrees, nothing failed, and vouchers never submitted were never sent.

type Fault = { resetBeforeCommit: number } | { resetAfterCommit: number } | { errorRate: number; seed: number } | { storm429: number } | null;
type HookName = keyof ExportHooks;
type Cmd =
  | { t: "submit"; pick: number[]; twice: boolean }
  | { t: "run"; fault: Fault; workers: 1 | 2 }
  | { t: "crash"; at: HookName; nth: number; fault: Fault };

const N = 5;
const HOOKS: HookName[] = ["beforeVoucherPost", "afterVoucherPost", "beforeUpload", "afterUpload", "beforeConnect", "afterConnect"];

const faultArb: fc.Arbitrary<Fault> = fc.oneof(
  fc.constant(null),
  fc.integer({ min: 1, max: 3 }).map((n) => ({ resetBeforeCommit: n })),
  fc.integer({ min: 1, max: 3 }).map((n) => ({ resetAfterCommit: n })),
  fc.integer({ min: 1, max: 1000 }).map((seed) => ({ errorRate: 0.25, seed })),
  fc.integer({ min: 1, max: 2 }).map((n) => ({ storm429: n })),
);
const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  fc.record({ t: fc.constant("submit" as const), pick: fc.uniqueArray(fc.integer({ min: 0, max: N - 1 }), { minLength: 1, maxLength: N }), twice: fc.boolean() }),
  fc.record({ t: fc.constant("run" as const), fault: faultArb, workers: fc.constantFrom(1 as const, 2 as const) }),
  fc.record({ t: fc.constant("crash" as const), at: fc.constantFrom(...HOOKS), nth: fc.integer({ min: 1, max: 4 }), fault: faultArb }),
);

const LEASE_MS = 300;
const never = new Promise<never>(() => {});

describe.each(withListSettings(dbTargets()))("exactly once under random sequences on $name, $lists", (target) => {
  let handle: DbHandle;
  let db: Db;
  let sandbox: SandboxServer;
  let seq = 0;

  beforeAll(async () => {
    handle = await target.open();
    db = handle.db;
    sandbox = await start({ currentYear: YEAR, vouchers: { [TENANT]: 100 }, voucherListComments: target.voucherListComments });
  });
  afterAll(async () => {
    await sandbox?.close();
    await handle?.close();
  });

  const setFault = async (fault: Fault) => {
    await control(sandbox.url, "faults", { tenantId: TENANT, clear: true });
    if (fault) await control(sandbox.url, "faults", { tenantId: TENANT, ...fault });
  };
  const newApi = async () => (await sandboxApi(sandbox.url, TENANT, { limiter: new SlidingWindowLimiter({ limit: 10_000, windowMs: 1_000 }) })).api;

  test("export, crash, retry and double submit never duplicate or lose a voucher", { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(cmdArb, { minLength: 1, maxLength: 7 }), async (cmds) => {
        const label = `p${seq++}`;
        const f = await firmWithData(db, label, "5566778899");
        const vouchers = makeVouchers(N, { withAttachments: 2, prefix: `${label}-` });
        const source = new MemorySource(vouchers);
        const submitted = new Set<string>();
        const base = { db, source, projectId: f.project.id, settleMs: 5, leaseMs: LEASE_MS, maxSendAttempts: 3 } satisfies Partial<ExportRunOptions>;
        const submit = (ids: string[]) => outbox.enqueueItems(db, { firmId: f.firm.id, projectId: f.project.id, voucherIds: ids, series: "B" });

        for (const cmd of cmds) {
          if (cmd.t === "submit") {
            const ids = cmd.pick.map((i) => vouchers[i].id);
            ids.forEach((id) => submitted.add(id));
            await (cmd.twice ? Promise.all([submit(ids), submit([...ids].reverse())]) : submit(ids));
          } else if (cmd.t === "run") {
            await setFault(cmd.fault);
            const runs = Array.from({ length: cmd.workers }, async (_, w) => runExport({ ...base, api: await newApi(), workerId: `w${w}` }));
            await Promise.all(runs);
          } else {
            // A crash: at the nth call of the hook this worker freezes for good, as if its process died there; so
            // does every later step of it. The run is abandoned; its leases run out on their own.
            await setFault(cmd.fault);
            let calls = 0;
            let crashed = false;
            let signal!: () => void;
            const frozen = new Promise<void>((r) => (signal = r));
            const hook = (name: HookName) => async () => {
              if (!crashed && name === cmd.at && ++calls === cmd.nth) {
                crashed = true;
                signal();
              }
              if (crashed) await never;
            };
            const hooks = Object.fromEntries(HOOKS.map((h) => [h, hook(h)])) as ExportHooks;
            const run = runExport({ ...base, api: await newApi(), hooks, workerId: "crashy" });
            await Promise.race([run, frozen]);
          }
        }

        // Recovery: no faults, run again (waiting out dead leases) until the outbox has nothing left.
        await setFault(null);
        for (let i = 0; i < 6 && (await outbox.unfinishedItems(db, f.project.id)).length > 0; i++) {
          await runExport({ ...base, api: await newApi() });
        }
        expect(await outbox.unfinishedItems(db, f.project.id)).toEqual([]);
        const items = await outbox.itemsOfProject(db, f.project.id);
        expect(items.filter((i) => i.state === "failed")).toEqual([]);
        expect(items.every((i) => i.duplicatesFound === 0)).toBe(true);
        expect(new Set(items.map((i) => i.voucherId))).toEqual(submitted);
        const truth = await sandboxTruth(sandbox.url);
        await expectExactlyOnce(db, f.project.id, vouchers.filter((v) => submitted.has(v.id)), truth);
      }),
      { numRuns: Number(process.env.EXPORT_PROPERTY_RUNS ?? 12), endOnFailure: true },
    );
  });
});
