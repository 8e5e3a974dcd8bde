// Which address a request came from, for throttling. `next start` serves plain http, and production requires an
// https NEXTAUTH_URL, so a production app always sits behind a reverse proxy that terminates TLS; that proxy appends
// the address it saw to X-Forwarded-For. Entries to the left of it were written by the client and prove nothing, so
// the client is the entry TRUSTED_PROXY_HOPS from the right (1: one proxy; 2: e.g. a CDN before a load balancer).
// Without a proxy (development, the e2e run) Next.js fills X-Forwarded-For with the socket's address itself, but
// only when the request did not bring one: there a client can choose its own address, which is why only production
// behind a proxy gets a trustworthy per-source limit (the per-account limits hold either way).

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string {
  if (headers instanceof Headers) return headers.get(name) ?? "";
  const v = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(",") : (v ?? "");
}

export function clientIp(headers: HeaderSource, trustedHops = 1): string {
  const entries = header(headers, "x-forwarded-for").split(",").map((s) => s.trim()).filter(Boolean);
  if (!entries.length) return "unknown";
  const entry = entries[Math.max(0, entries.length - trustedHops)];
  return normalizeIp(entry);
}

/** IPv4 as is (also when mapped into IPv6); IPv6 by its /64, which one subscriber usually holds whole. */
export function normalizeIp(raw: string): string {
  let s = raw.trim().toLowerCase();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  if (bracketed) s = bracketed[1];
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(s)) s = s.slice(0, s.lastIndexOf(":"));
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/.exec(s);
  if (mapped) return mapped[1];
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) return s;
  if (!/^[0-9a-f:]+(%\w+)?$/.test(s) || !s.includes(":")) return "unknown";
  s = s.replace(/%\w+$/, "");
  const [head, tail] = s.split("::");
  const left = head ? head.split(":") : [];
  const right = tail !== undefined && tail !== "" ? tail.split(":") : [];
  const groups = s.includes("::") ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right] : left;
  if (groups.length !== 8) return "unknown";
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}
