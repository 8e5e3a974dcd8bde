import { describe, expect, it } from "vitest";
import sv from "@/messages/sv.json";
import en from "@/messages/en.json";
import { PROBLEM_KEYS } from "./problems";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

// Every problem the tax module reports has its text in Swedish and English, with the same parameters.

const block = (m: unknown) => (m as { tax: { problem: Record<string, string> } }).tax.problem;
const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("tax problem texts", () => {
  it("exist in both languages for every key, with the same parameters", () => {
    for (const key of PROBLEM_KEYS) {
      expect(block(sv)[key], key).toBeTypeOf("string");
      expect(block(en)[key], key).toBeTypeOf("string");
      expect(params(block(en)[key]), key).toEqual(params(block(sv)[key]));
    }
    expect(Object.keys(block(sv)).sort()).toEqual([...PROBLEM_KEYS].sort());
    expect(Object.keys(block(en)).sort()).toEqual([...PROBLEM_KEYS].sort());
  });

  it("cover every key the code reports", () => {
    const dir = import.meta.dirname;
    const used = new Set<string>();
    for (const f of readdirSync(dir)) {
      if (!f.endsWith(".ts") || f.endsWith(".test.ts")) continue;
      for (const m of readFileSync(path.join(dir, f), "utf8").matchAll(/\b(?:error|warning)\("([a-zA-Z]+)"/g)) used.add(m[1]);
    }
    expect([...used].filter((k) => !(PROBLEM_KEYS as readonly string[]).includes(k))).toEqual([]);
  });
});
