// `npm run demo`: builds when the build is missing or older than the sources, then starts the
// production server with demo data (CLICKBUS_DEMO=1 seeds alice, bob, carol and "Workshop").
import { spawn } from "node:child_process";
import { ensureBuild } from "./ensure-build";

ensureBuild();

const server = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
  stdio: "inherit",
  env: { ...process.env, NODE_ENV: "production", CLICKBUS_DEMO: "1" },
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
