// A fake Fortnox OAuth server over real HTTP: single-use refresh tokens, like the real one.
import { readBody, sendJson, startServer, type TestServer } from "./http-server";

export interface FakeOAuth {
  server: TestServer;
  url: string;
  /** Refresh tokens that still work. */
  live: Set<string>;
  tokenCalls: Array<{ grantType: string; authorization?: string; tenantId?: string; form: URLSearchParams }>;
  /** How a dead refresh token is answered (status and body): both shapes are plausible (UNCONFIRMED). */
  deadAnswer: { status: number; body: unknown };
  delayMs: number;
  revokedService: boolean;
  /** The next N token requests get this status (a gateway's HTML page), before anything is rotated. */
  failNext: { count: number; status: number };
  /** The next N refresh grants rotate the token, then the socket dies before the answer. */
  dropAfterRotate: number;
  close(): Promise<void>;
}

export async function startFakeOAuth(): Promise<FakeOAuth> {
  let seq = 0;
  const state = {
    live: new Set<string>(),
    tokenCalls: [] as FakeOAuth["tokenCalls"],
    deadAnswer: { status: 400, body: { error: "invalid_grant", error_description: "Invalid refresh token" } as unknown },
    delayMs: 30,
    revokedService: false,
    failNext: { count: 0, status: 503 },
    dropAfterRotate: 0,
  };
  const server = await startServer(async (req, res) => {
    const form = new URLSearchParams((await readBody(req)).toString());
    const path = new URL(req.url!, "http://x").pathname;
    if (path.endsWith("/revoke")) {
      state.live.delete(form.get("token") ?? "");
      return sendJson(res, 200, { revoked: true });
    }
    const grantType = form.get("grant_type") ?? "";
    const tenantId = req.headers.tenantid as string | undefined;
    state.tokenCalls.push({ grantType, authorization: req.headers.authorization, tenantId, form });
    await new Promise((r) => setTimeout(r, state.delayMs));
    if (state.failNext.count > 0) {
      state.failNext.count--;
      res.writeHead(state.failNext.status, { "Content-Type": "text/html" });
      return res.end("<html><body><h1>Service Temporarily Unavailable</h1></body></html>");
    }
    const issue = (withRefresh: boolean) => {
      seq++;
      const payload = Buffer.from(JSON.stringify({ tenantId: 1234, userId: "u-1", exp: 9e9 })).toString("base64url");
      const body: Record<string, unknown> = {
        access_token: `h.${payload}.access-${seq}`,
        scope: "bookkeeping companyinformation",
        expires_in: 3600,
        token_type: "bearer",
      };
      if (withRefresh) {
        body.refresh_token = `refresh-${seq}`;
        state.live.add(`refresh-${seq}`);
      }
      sendJson(res, 200, body);
    };
    if (grantType === "refresh_token") {
      const rt = form.get("refresh_token") ?? "";
      if (!state.live.delete(rt)) return sendJson(res, state.deadAnswer.status, state.deadAnswer.body);
      if (state.dropAfterRotate > 0) {
        state.dropAfterRotate--;
        state.live.add(`refresh-${++seq}`); // rotated at Fortnox; the answer never arrives
        return req.socket.destroy();
      }
      return issue(true);
    }
    if (grantType === "authorization_code") {
      if (form.get("code") !== "good-code") return sendJson(res, 400, { error: "invalid_grant", error_description: "bad code" });
      return issue(true);
    }
    if (grantType === "client_credentials") {
      if (state.revokedService || !tenantId) return sendJson(res, 401, { error: "unauthorized_client", error_description: "no consent" });
      return issue(false);
    }
    sendJson(res, 400, { error: "unsupported_grant_type" });
  });
  return Object.assign(state, { server, url: `${server.url}/oauth-v1`, close: () => server.close() }) as FakeOAuth;
}
