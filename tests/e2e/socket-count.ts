// How many Socket.IO sockets the e2e server holds, read from its Prometheus text (`clickbus_sockets`).
// Until the server's own metrics land, the fixture preloads tests/e2e/socket-probe.mjs, which
// serves the same gauge; switching is the one line of METRICS_SOURCE below.
import { fileURLToPath } from "node:url";
import { expect } from "@playwright/test";

/** "probe": tests/e2e/socket-probe.mjs; "metrics": the server's own METRICS_PORT listener (SPEC §10). */
const METRICS_SOURCE: "probe" | "metrics" = "probe";

const PROBE = fileURLToPath(new URL("./socket-probe.mjs", import.meta.url));

/** Environment for startTestServer: where `GET /metrics` will answer. */
export function metricsEnv(port: number): Record<string, string> {
  if (METRICS_SOURCE === "metrics") return { METRICS_PORT: String(port), METRICS_HOST: "127.0.0.1" };
  return { SOCKET_PROBE_PORT: String(port), NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import ${PROBE}`.trim() };
}

export async function socketCount(metricsUrl: string): Promise<number> {
  const response = await fetch(metricsUrl);
  if (!response.ok) throw new Error(`GET ${metricsUrl}: ${response.status}`);
  const line = (await response.text()).split("\n").find((candidate) => /^clickbus_sockets(\{[^}]*\})? /.test(candidate));
  if (!line) throw new Error(`no clickbus_sockets in ${metricsUrl}`);
  return Number(line.slice(line.lastIndexOf(" ") + 1));
}

/** Waits until the server holds exactly `expected` sockets (sockets open and close asynchronously). */
export async function expectSockets(metricsUrl: string, expected: number, timeout = 10_000): Promise<void> {
  await expect.poll(() => socketCount(metricsUrl), { timeout, message: `the server holds ${expected} socket(s)` }).toBe(expected);
}
