// METRICS_PORT (README.md#metrics) against a real node: a second listener answers GET /metrics in
// the Prometheus text format with the bus's gauges and counters, which follow what sockets and
// writes really do; the public port never serves it.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { subscribeOk, until, type BusClient } from "../support/bus-harness";
import { freePort, startTestServer, type TestServer } from "../support/server";
import { click, connect, createGame } from "../cluster/cluster-support";
import { newPlayer, type Player } from "../api/api-client";
import { actionCaller, actionResult, valueOf } from "../actions/action-client";

let server: TestServer;
let metricsUrl: string;
let alice: Player;
const sockets: BusClient[] = [];

beforeAll(async () => {
  const port = await freePort();
  server = await startTestServer({ METRICS_PORT: String(port) });
  metricsUrl = `http://127.0.0.1:${port}/metrics`;
  alice = await newPlayer(server.url, "metrics");
  // The node's own warm-up action (lib/server/warm-up.ts) is counted before the tests count theirs.
  await until(
    async () => (sample(await scrape(), "clickbus_action_session_seconds_count", 'action="addClicks"') ?? 0) >= 1,
    "the node's warm-up",
  );
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await server?.stop();
});

/** The value of one sample (`name{labels} value`), or undefined when it is not exposed. */
function sample(text: string, name: string, labels = ""): number | undefined {
  const line = text.split("\n").find((row) => row.startsWith(`${name}${labels ? `{${labels}}` : ""} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
}

async function scrape(): Promise<string> {
  const answer = await fetch(metricsUrl);
  expect(answer.status).toBe(200);
  return answer.text();
}

async function open(): Promise<BusClient> {
  const socket = await connect(server, alice);
  sockets.push(socket);
  return socket;
}

describe("the metrics listener", () => {
  it("serves the Prometheus text format with the default process metrics, and only on its own port", async () => {
    const answer = await fetch(metricsUrl);
    expect(answer.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await answer.text();
    expect(sample(text, "process_cpu_user_seconds_total")).toBeGreaterThan(0);
    for (const name of [
      "clickbus_sockets",
      "clickbus_subscriptions",
      "clickbus_notifications_replayed_total",
      "clickbus_subscribe_denied_total",
    ]) {
      expect({ name, value: sample(text, name) }).toEqual({ name, value: expect.any(Number) });
    }
    expect(text).toContain("# TYPE clickbus_commit_to_emit_seconds histogram");
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    expect((await fetch(metricsUrl.replace("/metrics", "/other"))).status).toBe(404);
  });

  it("counts sockets, subscriptions, denials, replays, click batches and emits as they happen", async () => {
    const before = await scrape();
    const gameId = await createGame(server, alice, "Metered");
    const [first, second] = [await open(), await open()];
    await until(
      async () => sample(await scrape(), "clickbus_sockets") === (sample(before, "clickbus_sockets") ?? 0) + 2,
      "two more sockets",
    );

    const { last } = await subscribeOk(first, { channels: [`game:${gameId}`, `game:${gameId + 1000}`] });
    const emittedBefore = sample(await scrape(), "clickbus_notifications_emitted_total", 'kind="stored"') ?? 0;
    await click(server, alice, gameId, 3);
    const replay = await subscribeOk(second, { channels: [`game:${gameId}`], last });
    expect(replay.notifications?.length).toBeGreaterThan(0);

    const after = await scrape();
    expect(sample(after, "clickbus_subscriptions")).toBe((sample(before, "clickbus_subscriptions") ?? 0) + 4);
    expect(sample(after, "clickbus_subscribe_denied_total")).toBe(
      (sample(before, "clickbus_subscribe_denied_total") ?? 0) + 1,
    );
    expect(sample(after, "clickbus_notifications_replayed_total")).toBe(
      (sample(before, "clickbus_notifications_replayed_total") ?? 0) + (replay.notifications?.length ?? 0),
    );
    expect(sample(after, "clickbus_click_batches_total", 'outcome="counted"')).toBe(
      (sample(before, "clickbus_click_batches_total", 'outcome="counted"') ?? 0) + 1,
    );
    expect(sample(after, "clickbus_notifications_emitted_total", 'kind="stored"')).toBeGreaterThan(emittedBefore);
    expect(sample(after, "clickbus_commit_to_emit_seconds_count")).toBeGreaterThan(
      sample(before, "clickbus_commit_to_emit_seconds_count") ?? 0,
    );

    // The click above came through the API; one more through the game page's action: the node
    // times both requests, the click path of each, and the action's look at its caller.
    const games = actionCaller(server.url, "app/actions/games.ts");
    const answered = valueOf(
      await games("addClicksAction", [{ gameId, count: 2, batchId: randomUUID() }], {
        cookie: alice.cookie,
        page: `/games/${gameId}`,
      }),
      actionResult,
    );
    expect(answered.ok).toBe(true);
    const timed = await scrape();
    const grew = (series: string, labels?: string) =>
      (sample(timed, series, labels) ?? 0) - (sample(before, series, labels) ?? 0);
    expect(grew("clickbus_click_answer_seconds_count")).toBe(2);
    expect(grew("clickbus_http_request_seconds_count", 'kind="api"')).toBeGreaterThanOrEqual(2);
    expect(grew("clickbus_http_request_seconds_count", 'kind="action"')).toBe(1);
    expect(grew("clickbus_action_session_seconds_count", 'action="addClicks"')).toBe(1);

    second.disconnect();
    await until(
      async () => sample(await scrape(), "clickbus_sockets") === (sample(before, "clickbus_sockets") ?? 0) + 1,
      "the closed socket is gone",
    );
  });
});
