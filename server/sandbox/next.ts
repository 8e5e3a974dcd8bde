import "server-only";
import { env, mountedSandboxClient } from "@/server/env";
import { createSandbox, type Sandbox } from "./app";
import { optionsFromEnv } from "./options";
import { SandboxSocketReset } from "./reset";

// Entry for the Next.js route app/sandbox/fortnox/[...path]/route.ts. One sandbox per process (kept on globalThis so
// hot reloads keep tokens and posted vouchers). A socket reset cannot happen inside Next: it becomes a 502.
// Mounted in the app the sandbox never serves /control (it answers anyone: reset, faults, clock, tenants) and knows
// only the app's own client, whose secret is this installation's (server/env.ts mountedSandboxClient); faults for a
// demo come from SANDBOX_FAULTS. `npm run sandbox` keeps both for tests and benchmarks.

const KEY = Symbol.for("skatt-bokslut.fortnox-sandbox");
type Holder = { [KEY]?: Sandbox };

export function getNextSandbox(): Sandbox {
  const g = globalThis as Holder;
  // The demo closes last year: unless SANDBOX_YEAR says otherwise, that is the sandbox's current year, locked through
  // August only, so the closing vouchers of a newcomer's project are accepted.
  // Next.js re-encodes the query string of a route handler's request, so the client's %20 cannot be checked here.
  g[KEY] ??= createSandbox({
    currentYear: new Date().getUTCFullYear() - 1,
    ...optionsFromEnv(),
    clients: [mountedSandboxClient(env())],
    control: false,
    basePath: "/sandbox/fortnox",
    checkQueryEncoding: false,
  });
  return g[KEY];
}

export async function handleSandboxRequest(req: Request): Promise<Response> {
  try {
    return await getNextSandbox().fetch(req);
  } catch (err) {
    if (err instanceof SandboxSocketReset) {
      return Response.json({ message: `Bad Gateway (sandbox fault: connection reset ${err.when})` }, { status: 502 });
    }
    throw err;
  }
}
