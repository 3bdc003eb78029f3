// Warms a fresh node's click path before a room needs it. Next loads a page's server-action
// chunks on the first action it serves, with the event loop held: 140 ms on an idle 2-core
// machine, 357 ms in the bench's room of 1,000 (`npm run bench`), where that first action is one
// of a thousand first taps and every other request waits behind it. The node pays it once, just
// after it listens: it posts the game page's addClicks action to itself without a session, which
// Next resolves (loading the chunks) and runAction refuses ("unauthorized") before any data.
import type { Server } from "node:http";
import { actionId } from "./action-manifest";

/** What the warm-up got: the HTTP status of its action call, and how long the call took. */
export type WarmUp = { status: number; ms: number };

const WARM_UP_TIMEOUT_MS = 30_000;

/** Where the node can reach itself: its bound address, a wildcard meaning loopback. */
function ownUrl(server: Server): string {
  const bound = server.address();
  if (bound === null || typeof bound === "string") throw new Error("the node is not listening on a TCP port");
  const { address, family, port } = bound;
  const loopback = address === "0.0.0.0" ? "127.0.0.1" : address === "::" ? "::1" : address;
  return `http://${family === "IPv6" || loopback.includes(":") ? `[${loopback}]` : loopback}:${port}`;
}

/** Posts addClicksAction, unauthenticated, to the game page of the listening `server`. */
export async function warmClickPath(server: Server): Promise<WarmUp> {
  const url = ownUrl(server);
  const started = performance.now();
  const answer = await fetch(`${url}/games/0`, {
    method: "POST",
    headers: {
      "next-action": actionId("app/actions/games.ts", "addClicksAction"),
      accept: "text/x-component",
      "content-type": "text/plain;charset=UTF-8",
      origin: url,
    },
    body: JSON.stringify([{ gameId: 0, count: 1, batchId: "node-warm-up" }]),
    signal: AbortSignal.timeout(WARM_UP_TIMEOUT_MS),
  });
  await answer.arrayBuffer();
  return { status: answer.status, ms: performance.now() - started };
}
