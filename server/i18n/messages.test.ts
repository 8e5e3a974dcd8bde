import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import sv from "@/messages/sv.json";
import en from "@/messages/en.json";
import { FORTNOX_TRANSLATION_KEYS } from "@/server/fortnox/errors";
import { FORTNOX_STEPS, SIE_STEPS } from "@/server/import/job";

function keys(obj: object, prefix = ""): string[] {
  return Object.entries(obj).flatMap(([k, v]) => (typeof v === "object" && v ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

describe("translations", () => {
  it("English has exactly the keys Swedish has", () => {
    expect(keys(en).sort()).toEqual(keys(sv).sort());
  });

  it("no message is empty", () => {
    const flat = (o: object): string[] => Object.values(o).flatMap((v) => (typeof v === "object" ? flat(v) : [v as string]));
    expect(flat(sv).filter((s) => !s.trim())).toEqual([]);
    expect(flat(en).filter((s) => !s.trim())).toEqual([]);
  });

  it("every literal key used with t(\"…\") in app/ exists", () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = path.join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.tsx?$/.test(f)) files.push(p);
      }
    };
    walk(path.join(process.cwd(), "app"));
    const all = new Set(keys(sv));
    const missing: string[] = [];
    for (const file of files) {
      const src = readFileSync(file, "utf8");
      const ns = [...src.matchAll(/(?:useTranslations|getTranslations)\("([\w.]+)"\)/g)].map((m) => m[1]);
      for (const m of src.matchAll(/\bt[a-z]?\("([\w]+)"/g)) {
        if (!ns.some((n) => all.has(`${n}.${m[1]}`))) missing.push(`${path.relative(process.cwd(), file)}: ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("every Fortnox error and every import step has a text", () => {
    const all = new Set(keys(sv));
    const needed = [...FORTNOX_TRANSLATION_KEYS.map((k) => `errors.${k}`), ...[...FORTNOX_STEPS, ...SIE_STEPS].map((s) => `import.step.${s}`)];
    expect(needed.filter((k) => !all.has(k))).toEqual([]);
  });
});
