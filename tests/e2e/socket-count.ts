// How many Socket.IO sockets the e2e server holds, read from its Prometheus metrics
// (README.md#metrics: `clickbus_sockets` on METRICS_HOST:METRICS_PORT, a listener of its own, never
// the public port).
import { expect } from "@playwright/test";

/** Environment for startTestServer: where `GET /metrics` will answer. */
export function metricsEnv(port: number): Record<string, string> {
  return { METRICS_PORT: String(port), METRICS_HOST: "127.0.0.1" };
}

export async function socketCount(metricsUrl: string): Promise<number> {
  const response = await fetch(metricsUrl);
  if (!response.ok) throw new Error(`GET ${metricsUrl}: ${response.status}`);
  const line = (await response.text())
    .split("\n")
    .find((candidate) => /^clickbus_sockets(\{[^}]*\})? /.test(candidate));
  if (!line) throw new Error(`no clickbus_sockets in ${metricsUrl}`);
  return Number(line.slice(line.lastIndexOf(" ") + 1));
}

/** Waits until the server holds exactly `expected` sockets (sockets open and close asynchronously). */
export async function expectSockets(metricsUrl: string, expected: number, timeout = 10_000): Promise<void> {
  await expect
    .poll(() => socketCount(metricsUrl), { timeout, message: `the server holds ${expected} socket(s)` })
    .toBe(expected);
}
