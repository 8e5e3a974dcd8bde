import { createHmac, timingSafeEqual } from "node:crypto";
import { Hono, type Context } from "hono";
import { FORTNOX_REGISTERED_SCOPES } from "../fortnox/scopes";
import { ALL_SCOPES, type SandboxState, newToken } from "./state";

// Fortnox's OAuth2 server (apps.fortnox.se/oauth-v1): a login + consent page, codes, rotating refresh tokens,
// service accounts (client_credentials + TenantId header) and revocation.

const DEFAULT_ACCESS_TTL = 3600;
const DEFAULT_REFRESH_TTL = 45 * 24 * 3600;
const DEFAULT_CODE_TTL = 600;

export function isAllowedRedirect(uri: string): boolean {
  try {
    const u = new URL(uri);
    return (u.protocol === "http:" || u.protocol === "https:") && (u.hostname === "localhost" || u.hostname === "127.0.0.1");
  } catch {
    return false;
  }
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#1b2a3a}
fieldset{border:1px solid #c8d3de;border-radius:6px;margin:1rem 0}label{display:block;margin:.3rem 0}
button{padding:.5rem 1.2rem;margin-right:.5rem}.deny{background:#fff}.approve{background:#0b7a4b;color:#fff;border:0}
.banner{background:#fff4d6;padding:.5rem;border-radius:4px;font-size:.9rem}</style></head>
<body><p class="banner">Fortnox-sandlåda (lokal testmiljö) – inga riktiga uppgifter.</p>${body}</body></html>`;
}

export function signJwt(payload: Record<string, unknown>, secret: string): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const head = `${b64({ alg: "HS256", typ: "JWT" })}.${b64(payload)}`;
  return `${head}.${createHmac("sha256", secret).update(head).digest("base64url")}`;
}

function verifyJwt(token: string, secret: string): Record<string, unknown> | null {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const expected = createHmac("sha256", secret).update(`${parts[0]}.${parts[1]}`).digest();
  const got = Buffer.from(parts[2], "base64url");
  if (got.length !== expected.length || !timingSafeEqual(got, expected)) return null;
  try {
    return JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
  } catch {
    return null;
  }
}

export class OAuthServer {
  readonly secret: string;
  constructor(private readonly state: SandboxState) {
    this.secret = state.options.jwtSecret ?? newToken();
  }

  private get clients() {
    return this.state.options.clients ?? [{ clientId: "sandbox-client", clientSecret: "sandbox-secret" }];
  }

  clientExists(id: string): boolean {
    return this.clients.some((c) => c.clientId === id);
  }

  /** The scopes the app's registration holds (the developer portal's list); default what the app's features need. */
  registeredScopes(id: string): Set<string> {
    const c = this.clients.find((x) => x.clientId === id);
    return new Set(c?.scopes ?? FORTNOX_REGISTERED_SCOPES);
  }

  /** Client from the Basic header, or null when missing or wrong. */
  authenticate(header: string | undefined): string | null {
    const m = /^Basic\s+(.+)$/i.exec(header ?? "");
    if (!m) return null;
    const decoded = Buffer.from(m[1], "base64").toString("utf8");
    const i = decoded.indexOf(":");
    if (i < 0) return null;
    const id = decoded.slice(0, i);
    const secret = decoded.slice(i + 1);
    return this.clients.some((c) => c.clientId === id && c.clientSecret === secret) ? id : null;
  }

  issueAccess(clientId: string, tenantId: number, userId: string, scope: string, family: string | null): string {
    const s = this.state;
    const ttl = s.options.accessTokenTtlSeconds ?? DEFAULT_ACCESS_TTL;
    const iat = s.clock.nowSeconds();
    const jti = newToken(12);
    const seq = ++s.seq;
    s.access.set(jti, { family, clientId, tenantId, userId, scopes: new Set(scope.split(" ").filter(Boolean)), expMs: (iat + ttl) * 1000, seq });
    return signJwt({ iss: "sandbox-fortnox", jti, tenantId, userId, clientId, scope, authsource: family ? "OAUTH2" : "SERVICE", iat, exp: iat + ttl }, this.secret);
  }

  issueRefresh(family: string, clientId: string, tenantId: number, userId: string, scope: string): string {
    const s = this.state;
    const token = newToken(24);
    const ttl = s.options.refreshTokenTtlSeconds ?? DEFAULT_REFRESH_TTL;
    s.refreshTokens.set(token, { family, clientId, tenantId, userId, scope, expMs: s.clock.nowMs() + ttl * 1000, used: false, seq: ++s.seq });
    return token;
  }

  /** The grant behind a Bearer token, or why it is refused. */
  check(token: string): { ok: true; grant: ReturnType<SandboxState["access"]["get"]> & object } | { ok: false; reason: "invalid" | "expired" | "revoked" } {
    const payload = verifyJwt(token, this.secret);
    const grant = payload && typeof payload.jti === "string" ? this.state.access.get(payload.jti) : undefined;
    if (!grant) return { ok: false, reason: "invalid" };
    if (this.state.clock.nowMs() >= grant.expMs) return { ok: false, reason: "expired" };
    if (this.state.isRevokedByFault(grant.tenantId, grant.seq)) return { ok: false, reason: "revoked" };
    return { ok: true, grant };
  }

  routes(): Hono {
    const app = new Hono();
    const s = this.state;

    const authParams = (src: Record<string, string | undefined>) => ({
      clientId: src.client_id ?? "",
      redirectUri: src.redirect_uri ?? "",
      scope: src.scope ?? "",
      state: src.state ?? "",
      responseType: src.response_type ?? "",
      accessType: src.access_type ?? "",
      accountType: src.account_type ?? "",
    });
    type AuthParams = ReturnType<typeof authParams>;

    const badRequest = (c: Context, message: string) =>
      c.html(page("Fel", `<h1>Något gick fel</h1><p>${esc(message)}</p><p>Kontrollera appens inställningar (client_id och redirect_uri).</p>`), 400);

    const redirectError = (c: Context, p: AuthParams, error: string, description?: string) => {
      const u = new URL(p.redirectUri);
      u.searchParams.set("error", error);
      if (description) u.searchParams.set("error_description", description);
      if (p.state) u.searchParams.set("state", p.state);
      return c.redirect(u.toString(), 302);
    };

    // Problems we must not redirect for (unknown client, foreign redirect) get a page; others go back to the app.
    const validate = (c: Context, p: AuthParams): Response | null => {
      if (!this.clientExists(p.clientId)) return badRequest(c, `Okänd klient (client_id "${p.clientId}").`);
      if (!isAllowedRedirect(p.redirectUri)) return badRequest(c, `Redirect-URI:n "${p.redirectUri}" är inte registrerad för appen.`);
      if (p.responseType !== "code") return redirectError(c, p, "unsupported_response_type");
      // The whole consent is refused before login when one scope is outside the app's registration.
      const scopes = p.scope.split(" ").filter(Boolean);
      const registered = this.registeredScopes(p.clientId);
      const outside = scopes.filter((x) => !(ALL_SCOPES as readonly string[]).includes(x) || !registered.has(x));
      if (!scopes.length) return redirectError(c, p, "invalid_scope", "No scope requested");
      if (outside.length) {
        s.counters.invalidScope++;
        return redirectError(c, p, "invalid_scope", `The requested scope is invalid for this client: ${outside.join(" ")}`);
      }
      return null;
    };

    app.get("/auth", (c) => {
      s.counters.requests.oauth++;
      const p = authParams(c.req.query());
      const problem = validate(c, p);
      if (problem) return problem;
      const hidden = Object.entries({
        client_id: p.clientId, redirect_uri: p.redirectUri, scope: p.scope, state: p.state, response_type: p.responseType,
        access_type: p.accessType, account_type: p.accountType,
      })
        .map(([k, v]) => `<input type="hidden" name="${k}" value="${esc(v)}">`)
        .join("");
      const tenants = [...s.tenants.values()]
        .map((t, i) => `<label><input type="radio" name="tenant" value="${t.id}"${i === 0 ? " checked" : ""}> ${esc(t.config.name)} (${esc(t.config.orgNr)}, databas ${t.id})</label>`)
        .join("");
      const scopes = p.scope.split(" ").map((x) => `<li>${esc(x)}</li>`).join("");
      const service = p.accountType === "service" ? `<p><strong>Appen begär ett servicekonto</strong> (kräver systemadministratör).</p>` : "";
      return c.html(
        page(
          "Logga in på Fortnox",
          `<h1>Logga in på Fortnox</h1>
<form method="post" action="auth">${hidden}
<label>E-post <input name="username" value="anna@demokonsult.example"></label>
<label>Lösenord <input name="password" type="password" value="sandbox"></label>
<fieldset><legend>Välj företag</legend>${tenants}</fieldset>
<p>Appen <strong>${esc(p.clientId)}</strong> vill få åtkomst till:</p><ul>${scopes}</ul>${service}
<button class="approve" type="submit" name="decision" value="approve">Godkänn</button>
<button class="deny" type="submit" name="decision" value="deny">Neka</button>
</form>`,
        ),
      );
    });

    app.post("/auth", async (c) => {
      s.counters.requests.oauth++;
      const form = (await c.req.parseBody()) as Record<string, string>;
      const p = authParams(form);
      const problem = validate(c, p);
      if (problem) return problem;
      if (form.decision !== "approve") return redirectError(c, p, "access_denied");
      const tenant = s.tenant(Number(form.tenant));
      if (!tenant) return badRequest(c, "Välj ett företag.");
      if (p.accountType === "service") tenant.serviceClients.set(p.clientId, p.scope);
      const code = newToken(16);
      s.codes.set(code, {
        clientId: p.clientId,
        redirectUri: p.redirectUri,
        scope: p.scope,
        tenantId: tenant.id,
        userId: tenant.config.user?.id ?? String(tenant.id),
        expMs: s.clock.nowMs() + (s.options.codeTtlSeconds ?? DEFAULT_CODE_TTL) * 1000,
        used: false,
      });
      const u = new URL(p.redirectUri);
      u.searchParams.set("code", code);
      if (p.state) u.searchParams.set("state", p.state);
      return c.redirect(u.toString(), 302);
    });

    app.post("/token", async (c) => {
      s.counters.requests.oauth++;
      const clientId = this.authenticate(c.req.header("authorization"));
      const fail = (status: 400 | 401, error: string, description: string) => {
        s.counters.tokenErrors++;
        return c.json({ error, error_description: description }, status);
      };
      if (!clientId) return fail(401, "invalid_client", "Client authentication failed");
      const form = (await c.req.parseBody()) as Record<string, string>;
      const grantType = form.grant_type;
      if (grantType === "authorization_code") {
        const grant = s.codes.get(form.code ?? "");
        if (!grant || grant.used || grant.clientId !== clientId || s.clock.nowMs() >= grant.expMs) {
          return fail(400, "invalid_grant", "Invalid authorization code");
        }
        if (grant.redirectUri !== form.redirect_uri) return fail(400, "invalid_grant", "Invalid redirect_uri");
        grant.used = true;
        const family = newToken(9);
        s.counters.tokenGrants.authorization_code++;
        return c.json({
          access_token: this.issueAccess(clientId, grant.tenantId, grant.userId, grant.scope, family),
          refresh_token: this.issueRefresh(family, clientId, grant.tenantId, grant.userId, grant.scope),
          scope: grant.scope,
          expires_in: s.options.accessTokenTtlSeconds ?? DEFAULT_ACCESS_TTL,
          token_type: "bearer",
        });
      }
      if (grantType === "refresh_token") {
        const old = s.refreshTokens.get(form.refresh_token ?? "");
        const status = s.options.invalidRefreshStatus ?? 400;
        if (!old || old.used || old.clientId !== clientId || s.clock.nowMs() >= old.expMs || s.isRefreshRevoked(old.tenantId, old.seq, old.family)) {
          return fail(status, "invalid_grant", "Invalid refresh token");
        }
        old.used = true; // single use: the old token dies even if the client never sees the answer
        s.counters.tokenGrants.refresh_token++;
        return c.json({
          access_token: this.issueAccess(clientId, old.tenantId, old.userId, old.scope, old.family),
          refresh_token: this.issueRefresh(old.family, clientId, old.tenantId, old.userId, old.scope),
          scope: old.scope,
          expires_in: s.options.accessTokenTtlSeconds ?? DEFAULT_ACCESS_TTL,
          token_type: "bearer",
        });
      }
      if (grantType === "client_credentials") {
        const tenant = s.tenant(Number(c.req.header("tenantid")));
        if (!tenant) return fail(400, "invalid_request", "Missing or unknown TenantId header");
        // What the administrator approved in the consent (a tenant approved by configuration: the registration).
        const approved = tenant.serviceClients.get(clientId) ?? (tenant.serviceAccount ? [...this.registeredScopes(clientId)].join(" ") : null);
        if (approved === null) return fail(401, "unauthorized_client", "No service account approved for this tenant");
        const asked = (form.scope ?? "").split(" ").filter(Boolean);
        const granted = new Set(approved.split(" "));
        if (asked.some((x) => !granted.has(x))) return fail(400, "invalid_scope", "The requested scope was not approved for this service account");
        const scope = asked.length ? asked.join(" ") : approved;
        s.counters.tokenGrants.client_credentials++;
        return c.json({
          access_token: this.issueAccess(clientId, tenant.id, `service-${tenant.id}`, scope, null),
          scope,
          expires_in: s.options.accessTokenTtlSeconds ?? DEFAULT_ACCESS_TTL,
          token_type: "bearer",
        });
      }
      return fail(400, "unsupported_grant_type", `Unsupported grant_type "${grantType ?? ""}"`);
    });

    app.post("/revoke", async (c) => {
      s.counters.requests.oauth++;
      const clientId = this.authenticate(c.req.header("authorization"));
      if (!clientId) return c.json({ error: "invalid_client", error_description: "Client authentication failed" }, 401);
      const form = (await c.req.parseBody()) as Record<string, string>;
      const grant = s.refreshTokens.get(form.token ?? "");
      // Unknown tokens are accepted silently, as RFC 7009 asks; a known one takes its whole family down.
      if (grant && grant.clientId === clientId) {
        s.revokedFamilies.add(grant.family);
        s.counters.revocations++;
      }
      return c.json({ revoked: true });
    });

    return app;
  }
}
