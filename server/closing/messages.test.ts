import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import sv from "@/messages/sv.json";
import en from "@/messages/en.json";
import { allGroups, allHeadingKeys } from "./bas";
import { ADJUSTMENT_TEMPLATES } from "@/lib/adjustment-templates";

// Every text the closing module builds a key for at run time exists in both languages.

const has = (messages: object, key: string) => key.split(".").reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), messages) !== undefined;

function sourceKeys(dir: string, pattern: RegExp): string[] {
  const out: string[] = [];
  for (const f of readdirSync(dir)) {
    if (!f.endsWith(".ts") || f.endsWith(".test.ts")) continue;
    for (const m of readFileSync(path.join(dir, f), "utf8").matchAll(pattern)) out.push(m[1]);
  }
  return [...new Set(out)];
}

describe("closing texts", () => {
  const needed = [
    ...allHeadingKeys().map((k) => `bas.heading.${k}`),
    ...allGroups().map((g) => `bas.group.${g}`),
    ...ADJUSTMENT_TEMPLATES.flatMap((t) => [`adjustments.template.${t.key}`, `adjustments.templateHint.${t.key}`, `adjustments.kind.${t.key}`]),
    "adjustments.kind.closingEntry",
    ...["notExported", "exporting", "exported"].map((s) => `adjustments.status.${s}`),
    ...["not_started", "in_progress", "reconciled", "changed"].map((s) => `closing.status.${s}`),
    // Error keys thrown by the domain code and the route handlers.
    ...sourceKeys(path.join(process.cwd(), "server/closing"), /(?:badRequest|conflict|notFound|DomainError\("[A-Z_]+",)\s*\(?"([a-zA-Z]+)"/g).map((k) => `errors.${k}`),
    ...sourceKeys(path.join(process.cwd(), "server/api"), /badRequest\("([a-zA-Z]+)"/g).map((k) => `errors.${k}`),
    // Activity log actions written by the closing routers and route handlers.
    ...sourceKeys(path.join(process.cwd(), "server/api/routers"), /action: "((?:schedule|attachment|adjustment)\.[a-zA-Z]+)"/g).map((k) => `activity.action.${k}`),
    ...sourceKeys(path.join(process.cwd(), "server/api"), /action: "(attachment\.[a-zA-Z]+)"/g).map((k) => `activity.action.${k}`),
  ];

  it("has every key in Swedish and in English", () => {
    expect(needed.length).toBeGreaterThan(150);
    expect(needed.filter((k) => !has(sv, k))).toEqual([]);
    expect(needed.filter((k) => !has(en, k))).toEqual([]);
  });
});
