import { optionsFromEnv } from "./options";
import { startSandboxServer } from "./server";

// Standalone sandbox: `npm run sandbox` (PORT, HOST and SANDBOX_* from the environment; see README.md here).
const port = process.env.PORT ? Number(process.env.PORT) : 0;
const host = process.env.HOST || "127.0.0.1";
const server = await startSandboxServer({ ...optionsFromEnv(), port, host });
console.log(`Fortnox sandbox: ${server.url} (OAuth at ${server.url}/oauth-v1, API at ${server.url}/3)`);

const stop = () => server.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
