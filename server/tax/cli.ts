// `npm run -s tax -- sru FILE --out DIR`: the SRU files for a SIE file's year 0, and one JSON line on stdout
// (see run.ts). Exit 0 when the files were written, 1 with the reason otherwise, 2 for a wrong command line.
import { runSru } from "./run";

async function main(argv: string[]): Promise<number> {
  const [command, file, flag, dir, ...rest] = argv;
  if (command !== "sru" || !file || flag !== "--out" || !dir || rest.length) {
    process.stderr.write("usage: tax sru FILE --out DIR\n");
    return 2;
  }
  const { code, report } = await runSru(file, dir);
  process.stdout.write(JSON.stringify(report) + "\n");
  if (report.error) process.stderr.write(`not written: ${report.error.key} ${JSON.stringify(report.error.params)}\n`);
  return code;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(String(err?.stack ?? err) + "\n"); process.exitCode = 1; },
);
