/** Only same-site paths may be redirect targets, so a crafted link cannot send a user elsewhere. */
export function safeCallbackUrl(value: string | string[] | undefined | null, fallback = "/"): string {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v || !v.startsWith("/") || v.startsWith("//") || v.startsWith("/\\")) return fallback;
  return v;
}
