import { env } from "./env";

/**
 * Called first by instrumentation.ts register(), i.e. when the server starts: a production environment that must
 * not run (missing secrets, plain http, the sandbox without its explicit variable) stops the process here, with the
 * reasons, instead of failing on the first request.
 */
export function checkEnvironmentAtStart(): boolean {
  try {
    env();
    return true;
  } catch (err) {
    console.error(`Skatt & Bokslut: ${(err as Error).message}`);
    process.exit(1);
    return false;
  }
}
