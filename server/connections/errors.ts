import { DomainError } from "@/server/errors";
import { FortnoxApiError, FortnoxAuthError, FortnoxError, FortnoxNetworkError } from "@/server/fortnox/errors";
import { ConnectionNeedsReconnectError } from "@/server/fortnox/token-manager";

/**
 * The message key (namespace "errors") a user can act on for anything Fortnox-related that went wrong.
 * Never Fortnox's raw text: the key says what to do.
 */
export function fortnoxErrorKey(err: unknown): string {
  if (err instanceof DomainError) return err.key;
  if (err instanceof ConnectionNeedsReconnectError) return err.reason === "service_account_revoked" ? "fortnoxServiceRevoked" : "fortnoxNeedsReconnect";
  if (err instanceof FortnoxNetworkError) return "fortnoxUnreachable";
  if (err instanceof FortnoxApiError) {
    switch (err.kind) {
      case "no_licence_for_scope":
        return "fortnoxNoLicence";
      case "missing_scope":
        return "fortnoxMissingScope";
      case "no_api_licence":
        return "fortnoxNoApiLicence";
      case "unauthorized":
      case "invalid_login":
        return "fortnoxNeedsReconnect";
      case "rate_limited":
      case "server_error":
        return "fortnoxUnavailable";
      default:
        return "fortnoxRequestFailed";
    }
  }
  if (err instanceof FortnoxAuthError) {
    switch (err.kind) {
      case "refresh_token_dead":
        return "fortnoxNeedsReconnect";
      case "invalid_client":
      case "unauthorized_client":
        return "fortnoxClientRejected";
      case "access_denied":
        return "fortnoxConsentDenied";
      case "invalid_grant":
        return "fortnoxCodeInvalid";
      case "invalid_scope":
        return "fortnoxInvalidScope";
      case "rate_limited":
      case "server_error":
        return "fortnoxUnavailable";
      default:
        return "fortnoxRequestFailed";
    }
  }
  return "internal";
}

const UNAVAILABLE = new Set(["fortnoxUnreachable", "fortnoxUnavailable"]);

/** A typed, translatable DomainError for any error from Fortnox code; routers and jobs rethrow this. */
export function fortnoxDomainError(err: unknown): DomainError {
  if (err instanceof DomainError) return err;
  if (!(err instanceof FortnoxError)) throw err;
  const key = fortnoxErrorKey(err);
  return new DomainError(UNAVAILABLE.has(key) ? "SERVICE_UNAVAILABLE" : "PRECONDITION_FAILED", key);
}
