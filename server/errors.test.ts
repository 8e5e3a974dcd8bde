import { describe, expect, it } from "vitest";
import { ConnectionNeedsReconnectError } from "@/server/fortnox/token-manager";
import { apiErrorFromResponse, authErrorFromResponse, networkErrorFrom } from "@/server/fortnox/error-answers";
import { translator } from "@/server/i18n/messages";
import { badRequest, describeError, DomainError, errorFix, KEYS_WITH_FIX } from "./errors";

const api = (status: number, code?: number) =>
  apiErrorFromResponse({ status, bodyText: JSON.stringify({ ErrorInformation: { error: 1, message: "x", code } }), method: "GET" });

describe("describeError: one key and where the user fixes it", () => {
  it("Fortnox's errors keep their key; licence, connection, Fortnox settings and waiting are told apart", () => {
    expect(describeError(api(403, 2001101))).toEqual({ key: "fortnox.error.no_licence_for_scope", params: {}, fix: "fortnoxLicence", code: "PRECONDITION_FAILED" });
    expect(describeError(api(403, 2001103))).toMatchObject({ fix: "fortnoxLicence" });
    expect(describeError(api(403, 2000663))).toMatchObject({ key: "fortnox.error.missing_scope", fix: "connection" });
    expect(describeError(api(429))).toMatchObject({ key: "fortnox.error.rate_limited", fix: "retry", code: "SERVICE_UNAVAILABLE" });
    expect(describeError(api(502))).toMatchObject({ key: "fortnox.error.server_error", fix: "retry", code: "SERVICE_UNAVAILABLE" });
    expect(describeError(api(400, 2000401))).toMatchObject({ key: "fortnox.error.period_locked", fix: "fortnoxApp" });
    expect(describeError(networkErrorFrom(Object.assign(new Error("x"), { code: "ECONNRESET" }), "GET", false))).toMatchObject({ fix: "retry", code: "SERVICE_UNAVAILABLE" });
    expect(describeError(authErrorFromResponse({ status: 400, bodyText: '{"error":"invalid_grant"}', grantType: "refresh_token" }))).toMatchObject({ key: "fortnox.error.auth.refresh_token_dead", fix: "connection" });
    expect(describeError(authErrorFromResponse({ status: 401, bodyText: '{"error":"invalid_client"}' }))).toMatchObject({ fix: "support" });
    expect(describeError(new ConnectionNeedsReconnectError("c", "refresh_token_dead"))).toMatchObject({ key: "fortnox.error.needs_reconnect", fix: "connection" });
  });

  it("domain errors: their key's own fix, else their code's; anything else is internal", () => {
    expect(describeError(new DomainError("PRECONDITION_FAILED", "closingNoImport"))).toMatchObject({ fix: "import" });
    expect(describeError(new DomainError("PRECONDITION_FAILED", "fortnoxNotConnected"))).toMatchObject({ fix: "connection" });
    expect(describeError(new DomainError("PRECONDITION_FAILED", "fortnoxNoLicence"))).toMatchObject({ fix: "fortnoxLicence" });
    expect(describeError(badRequest("sieChecksumInvalid"))).toEqual({ key: "sieChecksumInvalid", params: {}, fix: "input", code: "BAD_REQUEST" });
    expect(describeError(new DomainError("FORBIDDEN", "ownerOnly"))).toMatchObject({ fix: "permission" });
    expect(describeError(new Error("SELECT … failed"))).toEqual({ key: "internal", params: {}, fix: "support", code: "INTERNAL_SERVER_ERROR" });
  });

  it("a stored key (a failed job's) finds its fix again; a key named like an Object member is not a fix", () => {
    expect(errorFix("fortnox.error.network.timeout")).toBe("retry");
    expect(errorFix("fortnoxNeedsReconnect")).toBe("connection");
    expect(errorFix("jobInterrupted")).toBe("retry");
    expect(errorFix("toString")).toBe("input");
    expect(errorFix("constructor", "SERVICE_UNAVAILABLE")).toBe("retry");
  });

  it("every key given a fix is a message in both languages", () => {
    for (const locale of ["sv", "en"] as const) {
      const t = translator(locale, "errors");
      expect(KEYS_WITH_FIX.filter((k) => !t.has(k as never)), locale).toEqual([]);
    }
  });
});
