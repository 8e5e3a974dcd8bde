// The one check for every redirect target that comes from input (callbackUrl on the sign-in pages, NextAuth's
// redirect callback). A target passes only as a path of the app's own origin. Browsers drop tabs and newlines from
// URLs and read a backslash as a slash, so "/<TAB>/evil.example" or "/\evil.example" would leave the site: anything
// with control characters, whitespace or backslashes is refused, raw or percent-encoded, and so is whatever the URL
// parser resolves to another origin or to a path that starts with "//".

const MAX_LENGTH = 2048;
/** C0 and C1 controls, DEL, every Unicode space or line break, and the backslash. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\s\\]/;
const DOUBLE_SLASH = /^\/[/\\]/;

/** The target as a same-origin path ("/clients?x=1#y"), or null when it is not one. */
export function sameOriginPath(value: unknown, origin: string): string | null {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_LENGTH) return null;
  const base = new URL(origin);
  const relative = value.startsWith("/");
  if (!relative && !value.startsWith(`${base.origin}/`)) return null;
  // Every layer of percent-encoding must be as clean as the raw text: a later decoder must not find a way out.
  let layer = value;
  for (let i = 0; i < 4; i++) {
    if (UNSAFE.test(layer) || (relative && DOUBLE_SLASH.test(layer))) return null;
    let next: string;
    try {
      next = decodeURIComponent(layer);
    } catch {
      return null;
    }
    if (next === layer) break;
    if (i === 3) return null;
    layer = next;
  }
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return null;
  }
  // "/.//evil.example" resolves to the path "//evil.example", which a browser reads as another host; so would
  // "/%2fevil.example" once something decodes it.
  if (url.origin !== base.origin || DOUBLE_SLASH.test(url.pathname) || DOUBLE_SLASH.test(decodedOrSame(url.pathname))) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}

function decodedOrSame(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
