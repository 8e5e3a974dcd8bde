// `npm run -s sie -- summary FILE...`: one JSON summary per file and line, in the order given.
// Exit code is non-zero only when a file could not be read at all.
import { summarizeFile } from "./summary";

async function main(argv: string[]): Promise<number> {
  const [command, ...files] = argv;
  if (command !== "summary" || files.length === 0) {
    process.stderr.write("usage: sie summary FILE...\n");
    return 2;
  }
  let failed = false;
  for (const file of files) {
    const { summary, readable } = await summarizeFile(file);
    if (!readable) failed = true;
    process.stdout.write(JSON.stringify(summary) + "\n");
  }
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(String(err?.stack ?? err) + "\n"); process.exitCode = 1; },
);
