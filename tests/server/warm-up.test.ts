// A production node warms its click path right after it listens (lib/server/warm-up.ts): before
// any client calls an action, the node has already run addClicks once (so Next has loaded its
// chunks), refused for want of a session, with nothing counted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until } from "../support/bus-waits";
import { freePort, startTestServer, type TestServer } from "../support/server";

let server: TestServer;
let metricsUrl: string;

beforeAll(async () => {
  const port = await freePort();
  server = await startTestServer({ METRICS_PORT: String(port) });
  metricsUrl = `http://127.0.0.1:${port}/metrics`;
});

afterAll(async () => {
  await server?.stop();
});

/** The value of one sample (`name{labels} value`), 0 when it is not exposed yet. */
async function sample(name: string, labels: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  const line = text.split("\n").find((row) => row.startsWith(`${name}{${labels}} `));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(" ") + 1));
}

describe("the node's warm-up", () => {
  it("runs the addClicks action once on its own, unauthenticated, and counts nothing", async () => {
    await until(
      async () => (await sample("clickbus_action_session_seconds_count", 'action="addClicks"')) >= 1,
      "the warm-up's addClicks action",
    );
    expect(await sample("clickbus_action_session_seconds_count", 'action="addClicks"')).toBe(1);
    expect(await sample("clickbus_http_request_seconds_count", 'kind="action"')).toBe(1);
    expect(await sample("clickbus_click_batches_total", 'outcome="counted"')).toBe(0);
    expect(await sample("clickbus_click_batches_total", 'outcome="repeat"')).toBe(0);
  });
});
