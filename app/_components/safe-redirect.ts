import { sameOriginPath } from "@/server/auth/safe-redirect";

/** Any origin does for resolving: only paths are accepted here, absolute URLs never. */
const RESOLVE_AGAINST = "http://app.invalid";

/** Only same-origin paths may be redirect targets, so a crafted link cannot send a user elsewhere (server/auth/safe-redirect.ts). */
export function safeCallbackUrl(value: string | string[] | undefined | null, fallback = "/"): string {
  const v = Array.isArray(value) ? value[0] : value;
  return (typeof v === "string" && v.startsWith("/") && sameOriginPath(v, RESOLVE_AGAINST)) || fallback;
}
