// Entry point of a Clickbus node: Next and Socket.IO on one port (see lib/server/start.ts).
// A bad configuration prints which variable is wrong and exits with code 1.
import { ConfigError, env } from "@/lib/config/env";

try {
  env();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}

const { startNode } = await import("@/lib/server/start");
await startNode({ dev: process.argv.includes("--dev") });
