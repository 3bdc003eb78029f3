// A node whose PostgreSQL goes away while it runs (issue #14): a TCP proxy between the node and the
// server is cut, so open connections reset and new ones are refused. Requests are answered 503
// `unavailable` with Retry-After (not 500), the node logs the outage once rather than per request,
// its sockets stay connected, a subscribe gets the `unavailable` error ack, a page answers 503
// with Retry-After and without a word of the failure; once the link is restored the node serves again by itself and
// the bus delivers live. PostgreSQL only: SQLite is
// a file and does not go away like this.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { z } from "zod";
import { call, newPlayer, playerSocket, type Player } from "../api/api-client";
import { gameSummary } from "../api/answers";
import { nextNotification, subscribe, until, type BusClient } from "../support/bus-harness";
import { describeWithPostgres, freshPostgres, TEST_POSTGRES_URL } from "../support/postgres";
import { startTestServer, type TestServer } from "../support/server";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";

const OUTAGE_LINE = "the database is unavailable";

await describeWithPostgres("a node whose database goes away", () => {
  const database = freshPostgres();
  let proxy: TcpProxy;
  let server: TestServer;
  let player: Player;
  let gameId: number;
  let socket: BusClient;

  beforeAll(async () => {
    proxy = await startTcpProxy(new URL(TEST_POSTGRES_URL));
    // LOG_LEVEL info: the recovery line is logged at info.
    server = await startTestServer({
      DATABASE_URL: proxy.via(database().url),
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      LOG_LEVEL: "info",
    });
    player = await newPlayer(server.url, "outage");
    const created = await call(server.url, player.browser, "POST", "/api/games", { json: { name: "Outage" } });
    gameId = gameSummary.parse(created.body).id;
    socket = await playerSocket(server.url, player);
    expect(await subscribe(socket, { channels: [`game:${gameId}`], last: 0 })).toMatchObject({
      granted: [`game:${gameId}`],
    });
  });

  afterAll(async () => {
    socket?.disconnect();
    await server?.stop();
    await proxy?.close();
  });

  const click = (batchId: string) =>
    call(server.url, player.browser, "POST", `/api/games/${gameId}/clicks`, { json: { count: 1, batchId } });

  it("answers 503 while the database is away, logs it once, keeps sockets, and recovers by itself", async () => {
    const before = server.output().length;
    proxy.cut();
    for (const batchId of ["lost-1", "lost-2", "lost-3"]) {
      const answer = await click(batchId);
      expect(answer.status).toBe(503);
      expect(z.object({ error: z.literal("unavailable") }).parse(answer.body).error).toBe("unavailable");
      expect(Number(answer.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    expect((await call(server.url, player.browser, "GET", "/api/games")).status).toBe(503);
    expect(await subscribe(socket, { channels: [`game:${gameId}`], last: 0 })).toEqual({ error: "unavailable" });
    expect(socket.connected).toBe(true);
    const during = server.output().slice(before);
    expect(during.split(OUTAGE_LINE).length - 1).toBe(1);
    expect(during).not.toContain("API request failed");

    proxy.restore();
    const live = nextNotification(
      socket,
      (notification) => notification.channel === `game:${gameId}` && notification.event === "tally",
      "the tally after the outage, live",
      20_000,
    );
    let status = 0;
    await until(
      async () => (status = (await click("after-outage")).status) === 200,
      "a click is counted again once the database is back",
      20_000,
    );
    expect(status).toBe(200);
    // The first count the game ever got, since nothing refused during the outage was counted.
    expect((await live).payload).toMatchObject({ total: 1, contributions: [{ username: player.username, clicks: 1 }] });
    expect(server.output().slice(before)).toContain("the database is reachable again");
    // Nothing refused during the outage was counted.
    const game = await call(server.url, player.browser, "GET", `/api/games/${gameId}`);
    expect(z.object({ total: z.number() }).parse(game.body).total).toBe(1);
  });

  it("answers a page 503 with Retry-After and nothing of the failure in it while the database is away, and renders it again after", async () => {
    // The "could not load" state is rendered in the browser (tests/e2e/database-outage.spec.ts).
    const page = () => call(server.url, player.browser, "GET", `/games/${gameId}`);
    expect((await page()).text).toContain("Outage");
    proxy.cut();
    const during = await page();
    expect(during.status).toBe(503);
    expect(during.headers.get("retry-after")).toBe("2");
    for (const internal of ["ECONNRE", "clickbus_test_", "at async"]) expect(during.text).not.toContain(internal);
    proxy.restore();
    let back = during;
    await until(
      async () => (back = await page()).status === 200,
      "the game page renders again once the database is back",
      20_000,
    );
    expect(back.text).toContain("Outage");
  });
});
