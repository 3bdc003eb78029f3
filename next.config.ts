// Next.js configuration: native and server-only packages stay outside the bundles so that
// server.ts and the Next bundles share one copy of each (see lib/runtime/process-singleton.ts).
import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  serverExternalPackages: ["better-sqlite3", "pino", "socket.io", "bcryptjs", "prom-client"],
  poweredByHeader: false,
  // `npm test` type-checks the whole tree (tests and scripts included) with `tsc --noEmit`
  // before it builds; the build does not repeat that work.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
