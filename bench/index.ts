// `npm run -s bench -- <name> [args]`: runs one named benchmark. Benchmarks print progress on stderr and end with
// one JSON line of figures on stdout; they never fail on time. Add a benchmark by adding a module with
// `run(args)` to BENCHMARKS.
const BENCHMARKS: Record<string, () => Promise<{ run(args: string[]): Promise<unknown> }>> = {
  sie: () => import("./sie"),
  import: () => import("./import"),
  export: () => import("./export"),
  closing: () => import("./closing"),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const load = name ? BENCHMARKS[name] : undefined;
  if (!load) {
    process.stderr.write(`usage: npm run -s bench -- <name> [args]\nbenchmarks: ${Object.keys(BENCHMARKS).join(", ")}\n`);
    return 2;
  }
  await (await load()).run(args);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(String(err?.stack ?? err) + "\n"); process.exitCode = 1; },
);
