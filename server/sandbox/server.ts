import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { createSandbox, type Sandbox, type SandboxOptions } from "./app";
import { SandboxSocketReset } from "./reset";

// node:http adapter. Own adapter rather than @hono/node-server because faults must be able to destroy the socket
// (before an answer, or in the middle of a streamed SIE file).

export interface SandboxServer {
  /** Base URL without trailing slash, e.g. http://127.0.0.1:41234 (plus basePath if one was given). */
  url: string;
  close(): Promise<void>;
  sandbox: Sandbox;
}

export async function startSandboxServer(opts: SandboxOptions & { port?: number; host?: string } = {}): Promise<SandboxServer> {
  const { port = 0, host = "127.0.0.1", ...options } = opts;
  const sandbox = createSandbox(options);
  const server = createServer((req, res) => {
    handle(sandbox, req, res, host).catch((err) => {
      console.error("[sandbox] adapter error", err);
      res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const hostInUrl = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${hostInUrl}:${addr.port}${sandbox.basePath}`,
    sandbox,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(sandbox: Sandbox, req: IncomingMessage, res: ServerResponse, host: string): Promise<void> {
  const url = `http://${req.headers.host ?? host}${req.url ?? "/"}`;
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  const request = new Request(url, {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    duplex: hasBody ? "half" : undefined,
  } as RequestInit);
  let response: Response;
  try {
    response = await sandbox.fetch(request);
  } catch (err) {
    if (err instanceof SandboxSocketReset) {
      req.socket.destroy();
      return;
    }
    throw err;
  }
  const outHeaders: Record<string, string | string[]> = {};
  response.headers.forEach((value, key) => {
    if (key === "set-cookie") return;
    outHeaders[key] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) outHeaders["set-cookie"] = cookies;
  res.writeHead(response.status, outHeaders);
  if (!response.body || req.method === "HEAD") {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  res.on("close", () => reader.cancel().catch(() => {}));
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) await drainOrClose(res);
      if (res.destroyed) return;
    }
    res.end();
  } catch {
    // A body that fails midway (the truncated-SIE fault) drops the connection, as a dying server would.
    res.destroy();
    req.socket.destroy();
  }
}

/** Waits until the socket wants more data or is gone. Both listeners are removed again: a large SIE stream waits
 * thousands of times, and leftover "close" listeners would pile up on the response. */
function drainOrClose(res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}
