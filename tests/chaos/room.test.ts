// Crash suite, a room: forty players on one game on one node, each waiting the `paceMs` its
// answers carry (as the game page and `npm run crowd` do), so the game's clicks are conflated
// tallies with windows always open, while the node is SIGKILLed at random moments and restarted.
// A kill inside a window leaves tallies waiting in bus_conflated that only the restarted node's
// sweep can merge: nothing acknowledged may be lost or counted twice, the tallies must end on
// every count committed, and every socket resuming from its cursor must end on the total.
import { afterAll, beforeAll, describe, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server";
import { printNodeTroubleOnFailure } from "./node-logs";
import { runCrashScenario } from "./scenario";
import { expectKillLeftTalliesWaiting, expectOneNodeVerdict, summary } from "./verdict";

let server: TestServer;

beforeAll(async () => {
  // info: the sweep's "merged conflated announcements a node left waiting" is in the failure report.
  server = await startTestServer({ LOG_LEVEL: "info" });
});

afterAll(async () => {
  await server?.stop();
});

describe("a room of forty players on one node killed in the middle of its windows", () => {
  it("announces every acknowledged click in the tallies, the dead node's waiting ones merged by the sweep", async () => {
    printNodeTroubleOnFailure(() => [server], /merged conflated/);
    const result = await runCrashScenario({
      file: "tests/chaos/room.test.ts",
      nodes: [server],
      victim: 0,
      kills: 3,
      rules: "strict",
      clickersPerNode: 40,
      pacing: "paced",
      watchersPerNode: 3,
      late: false,
      killAfterMs: [1000, 3000],
    });
    console.log(summary(result));
    expectOneNodeVerdict(result);
    // On PostgreSQL a group commit takes long enough that forty players commit fewer than 40
    // times a second: the room is not busy, every tally goes out at once and none waits.
    if (server.database.engine === "sqlite") expectKillLeftTalliesWaiting(result);
  }, 300_000);
});
