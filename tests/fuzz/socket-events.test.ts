// Property-based fuzzing of the socket protocol against a real node: generated events (known and
// unknown names, any arity, binary, deep nesting, huge strings, odd numbers) and raw Socket.IO
// packets. Every answer is a documented error or a valid ack, or the socket is cut for it; the
// node stays up and keeps serving. FUZZ_RUNS raises the count (tests/fuzz/fuzz-run.ts).
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { io } from "socket.io-client";
import { world, type World } from "../actions/game-state";
import { browserCaller, call } from "../api/api-client";
import { startTestServer, type TestServer } from "../support/server";
import { wireNotification } from "../support/wire";
import { fuzz, fuzzRuns } from "./fuzz-run";
import { socketInput } from "./socket-inputs";
import { SocketProber } from "./socket-prober";
import { problemWith } from "./socket-verdict";

const FILE = "tests/fuzz/socket-events.test.ts";
const NAME = "answers every event with a documented error or a valid ack, and stays up";
/** Lines the node logs at error or fatal level (pino JSON). */
const LOGGED_ERROR = /^\{"level":(5|6)0,/m;

let server: TestServer;
let w: World;

beforeAll(async () => {
  server = await startTestServer();
  w = await world(server);
});

afterAll(async () => {
  await server?.stop();
});

/** A fresh socket subscribes to the game and gets a click made through the API, live. */
async function expectServes(): Promise<void> {
  const socket = io(server.url, {
    transports: ["websocket"],
    forceNew: true,
    reconnection: false,
    extraHeaders: { cookie: w.alice.cookie },
  });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", reject);
    });
    await socket.timeout(5000).emitWithAck("subscribe", { channels: [`game:${w.gameId}`] });
    const live = new Promise<unknown>((resolve) =>
      socket.on("notification", (raw: unknown) => wireNotification.parse(raw).event === "tally" && resolve(raw)),
    );
    const clicked = await call(
      server.url,
      browserCaller(server.url, w.alice.cookie),
      "POST",
      `/api/games/${w.gameId}/clicks`,
      { json: { count: 1, batchId: `fuzz-${Date.now()}` } },
    );
    expect(clicked.status).toBe(200);
    await live;
  } finally {
    socket.disconnect();
  }
}

it(
  NAME,
  async () => {
    const prober = new SocketProber(server.url, w.alice.cookie);
    const ids = [w.gameId, w.alice.id, w.bob.id, w.carol.id, 987_654_321];
    try {
      await fuzz(
        FILE,
        NAME,
        fc.asyncProperty(socketInput(ids), async (input) => {
          const outcome = await prober.send(input);
          const problem = input.kind === "emit" ? problemWith(input, outcome) : null;
          if (problem) throw new Error(problem);
          const health = await fetch(`${server.url}/api/health`);
          if (health.status !== 200) throw new Error(`GET /api/health answered ${health.status} after this input`);
        }),
      );
    } finally {
      prober.close();
    }
    console.log(`${prober.connections} sockets used (the node cuts garbage and floods)`);
    await expectServes();
    expect(server.output()).not.toMatch(LOGGED_ERROR);
  },
  60_000 + fuzzRuns() * 50,
);
