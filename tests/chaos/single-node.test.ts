// Crash suite, one node: players click through the API with their own batch ids and sockets
// follow the game, while the node is SIGKILLed five times at random moments and restarted on
// the same port and SQLite file. Nothing acknowledged may be lost, nothing counted twice, the
// game's tallies must announce every count committed and nothing else, and every socket, resuming
// from the highest id it saw, gets every stored notification once, in order, and ends on the total.
import { afterAll, beforeAll, describe, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server";
import { printNodeTroubleOnFailure } from "./node-logs";
import { runCrashScenario } from "./scenario";
import { expectOneNodeVerdict, summary } from "./verdict";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.stop();
});

describe("one node killed five times under load", () => {
  it("loses no acknowledged batch and no notification, and repeats neither", async () => {
    printNodeTroubleOnFailure(() => [server]);
    const result = await runCrashScenario({
      file: "tests/chaos/single-node.test.ts",
      nodes: [server],
      victim: 0,
      kills: 5,
      rules: "strict",
      clickersPerNode: 6,
      pacing: "eager",
      watchersPerNode: 3,
      late: true,
      killAfterMs: [500, 2500],
    });
    console.log(summary(result));
    expectOneNodeVerdict(result);
  }, 300_000);
});
