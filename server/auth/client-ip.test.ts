import { describe, expect, it } from "vitest";
import { clientIp, normalizeIp } from "./client-ip";

describe("the client's address", () => {
  it("is the entry the trusted proxy appended, not what the client wrote before it", () => {
    expect(clientIp(new Headers({ "x-forwarded-for": "1.2.3.4, 203.0.113.9" }), 1)).toBe("203.0.113.9");
    expect(clientIp(new Headers({ "x-forwarded-for": "1.2.3.4, 203.0.113.9, 10.0.0.2" }), 2)).toBe("203.0.113.9");
    expect(clientIp({ "x-forwarded-for": "203.0.113.9" }, 1)).toBe("203.0.113.9");
    expect(clientIp(new Headers(), 1)).toBe("unknown");
    expect(clientIp(new Headers({ "x-forwarded-for": "203.0.113.9" }), 3)).toBe("203.0.113.9");
  });

  it("groups IPv6 by /64 and unwraps IPv4-mapped addresses and ports", () => {
    expect(normalizeIp("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(normalizeIp("2001:db8:1:2:ffff:ffff:ffff:ffff")).toBe("2001:db8:1:2::/64");
    expect(normalizeIp("[2001:0db8::1]:443")).toBe("2001:db8:0:0::/64");
    expect(normalizeIp("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(normalizeIp("::1")).toBe("0:0:0:0::/64");
    expect(normalizeIp("198.51.100.4:5555")).toBe("198.51.100.4");
    expect(normalizeIp("not an address")).toBe("unknown");
  });
});
