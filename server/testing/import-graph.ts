import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

// A small import scanner for tests about module direction: which project file imports which. It reads the source
// text (static imports, re-exports, side-effect imports, dynamic import() with a literal) and resolves "@/…" and
// relative specifiers to files; package imports are left out. Good enough for this codebase's plain import style.

export const ROOT = path.resolve(import.meta.dirname, "../..");

export interface ImportEdge {
  /** Both relative to the repository root, with forward slashes. */
  from: string;
  to: string;
  /** `import type …` / `export type … from`: erased at build, so no code runs because of it. */
  typeOnly: boolean;
  line: number;
}

const SKIP = new Set(["node_modules", ".next", ".git", ".data", "test-results", "playwright-report"]);
const SOURCE = /\.(ts|tsx|mts|js|mjs)$/;

export function sourceFiles(dir = ROOT): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (SOURCE.test(name) && !name.endsWith(".d.ts")) out.push(full);
  }
  return out;
}

const STATIC = /^\s*(import|export)\s+(type\s+)?(?:[^"';]*?\sfrom\s+)?["']([^"']+)["']/gm;
const DYNAMIC = /\bimport\(\s*["']([^"']+)["']\s*\)/g;

function resolveSpecifier(fromFile: string, spec: string): string | null {
  let base: string;
  if (spec.startsWith("@/")) base = path.join(ROOT, spec.slice(2));
  else if (spec.startsWith(".")) base = path.resolve(path.dirname(fromFile), spec);
  else return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}.mjs`, `${base}.js`, path.join(base, "index.ts"), path.join(base, "index.tsx")]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

const rel = (file: string) => path.relative(ROOT, file).split(path.sep).join("/");

/** The project-internal imports of one file's text. */
export function importsOf(file: string, text = readFileSync(file, "utf8")): ImportEdge[] {
  const edges: ImportEdge[] = [];
  const lineAt = (index: number) => text.slice(0, index).split("\n").length;
  const add = (spec: string, typeOnly: boolean, index: number) => {
    const target = resolveSpecifier(file, spec);
    if (target) edges.push({ from: rel(file), to: rel(target), typeOnly, line: lineAt(index) });
  };
  for (const m of text.matchAll(STATIC)) add(m[3], Boolean(m[2]), m.index ?? 0);
  for (const m of text.matchAll(DYNAMIC)) add(m[1], false, m.index ?? 0);
  return edges;
}

export function importGraph(files = sourceFiles()): ImportEdge[] {
  return files.flatMap((f) => importsOf(f));
}
