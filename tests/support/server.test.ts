// startTestServer itself, with a node that cannot start: it rejects as soon as the child is gone,
// not at its 60 s timeout, and the error carries what the child printed and how it ended.
import { expect, it } from "vitest";
import { startTestServer } from "./server";

/** Far below the start's 60 s timeout; a failed start is tsx loading server.ts, at most. */
const QUICKLY_MS = 20_000;

it("rejects as soon as the node exits, with what it printed (a value its environment parsing refuses)", async () => {
  const started = Date.now();
  await expect(startTestServer({ LOG_LEVEL: "loud" })).rejects.toThrow(/exited with 1:\n[\s\S]*LOG_LEVEL/);
  expect(Date.now() - started).toBeLessThan(QUICKLY_MS);
}, 90_000);

it("rejects as soon as the node is killed by a signal before it answers (the OOM killer, say)", async () => {
  const started = Date.now();
  const killSelf = "--import=data:text/javascript,process.kill(process.pid,9)";
  await expect(startTestServer({ NODE_OPTIONS: killSelf })).rejects.toThrow(/was killed by SIGKILL/);
  expect(Date.now() - started).toBeLessThan(QUICKLY_MS);
}, 90_000);
