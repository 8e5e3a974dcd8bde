import createNextIntlPlugin from "next-intl/plugin";

const withNextIntl = createNextIntlPlugin("./server/auth/locale.ts");

/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships WASM and data files that must be loaded from node_modules, not bundled.
  serverExternalPackages: ["@electric-sql/pglite", "postgres", "bcryptjs", "iconv-lite"],
  poweredByHeader: false,
  // `npm test` type-checks the whole repository with tsc first; checking again inside the build only costs time.
  typescript: { ignoreBuildErrors: true },
  typedRoutes: false,
  // Pages get their Content-Security-Policy (with a nonce per request) from proxy.ts. HSTS only in production
  // (`next build` evaluates this, so `next start` sends it and `next dev` does not); production requires an https
  // NEXTAUTH_URL (server/env.ts), and browsers ignore the header on plain http.
  async headers() {
    const production = process.env.NODE_ENV === "production";
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: "DENY" },
          ...(production ? [{ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" }] : []),
        ],
      },
    ];
  },
};

export default withNextIntl(nextConfig);
