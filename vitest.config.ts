import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // Next resolves "server-only" to an empty module on the server (react-server condition) and fails a client
      // build that reaches it; tests run the server side, so they get the empty module too.
      "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js"),
    },
  },
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", ".next/**", "e2e/**", ".data/**"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Two files at a time even on two cores: much of the suite waits on sockets, timers and child processes (one
    // test waits 65 s for a slow SIE), so one worker left a core idle most of the run.
    maxWorkers: 2,
  },
});
