import { describe, expect, it } from "vitest";
import { DomainError } from "@/server/errors";
import { apiErrorFromResponse, authErrorFromResponse, networkErrorFrom } from "@/server/fortnox/error-answers";
import { ConnectionNeedsReconnectError } from "@/server/fortnox/token-manager";
import sv from "@/messages/sv.json";
import en from "@/messages/en.json";
import { CONNECT_ERROR_KEYS } from "./connect";
import { fortnoxDomainError, fortnoxErrorKey } from "./errors";

const api = (code: number, status = 403) =>
  apiErrorFromResponse({ status, bodyText: JSON.stringify({ ErrorInformation: { error: 1, message: "x", code } }), method: "GET" });

describe("Fortnox errors → what the user can do", () => {
  it("maps each failure to its actionable message key", () => {
    expect(fortnoxErrorKey(api(2001101))).toBe("fortnoxNoLicence");
    expect(fortnoxErrorKey(api(2000663))).toBe("fortnoxMissingScope");
    expect(fortnoxErrorKey(api(2001103))).toBe("fortnoxNoApiLicence");
    expect(fortnoxErrorKey(api(0, 503))).toBe("fortnoxUnavailable");
    expect(fortnoxErrorKey(networkErrorFrom(Object.assign(new Error("x"), { code: "ECONNREFUSED" }), "GET", false))).toBe("fortnoxUnreachable");
    expect(fortnoxErrorKey(authErrorFromResponse({ status: 400, bodyText: '{"error":"access_denied"}' }))).toBe("fortnoxConsentDenied");
    expect(fortnoxErrorKey(authErrorFromResponse({ status: 400, bodyText: '{"error":"invalid_grant","error_description":"Invalid authorization code"}', grantType: "authorization_code" }))).toBe("fortnoxCodeInvalid");
    expect(fortnoxErrorKey(authErrorFromResponse({ status: 401, bodyText: '{"error":"invalid_client"}' }))).toBe("fortnoxClientRejected");
    expect(fortnoxErrorKey(new ConnectionNeedsReconnectError("c", "refresh_token_dead"))).toBe("fortnoxNeedsReconnect");
    expect(fortnoxErrorKey(new ConnectionNeedsReconnectError("c", "service_account_revoked"))).toBe("fortnoxServiceRevoked");
  });

  it("becomes a DomainError with a TRPC code: unreachable is SERVICE_UNAVAILABLE, the rest PRECONDITION_FAILED", () => {
    expect(fortnoxDomainError(networkErrorFrom(Object.assign(new Error("x"), { code: "ENOTFOUND" }), "GET", false))).toMatchObject({ code: "SERVICE_UNAVAILABLE", key: "fortnoxUnreachable" });
    expect(fortnoxDomainError(api(2001101))).toMatchObject({ code: "PRECONDITION_FAILED", key: "fortnoxNoLicence" });
    const d = new DomainError("NOT_FOUND", "clientNotFound");
    expect(fortnoxDomainError(d)).toBe(d);
  });

  it("every key the callback or the mapping can produce has a Swedish and an English message", () => {
    const keys = new Set<string>([
      ...CONNECT_ERROR_KEYS,
      "fortnoxNotConnected",
      "fortnoxPendingConfirmation",
      "fortnoxConnectionError",
      "fortnoxServiceRevoked",
      "fortnoxNothingToConfirm",
    ]);
    const missing = [...keys].filter((k) => !(k in sv.errors) || !(k in en.errors));
    expect(missing).toEqual([]);
  });
});
