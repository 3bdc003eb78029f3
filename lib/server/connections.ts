// How the node holds its HTTP connections in a room. Under load a Node 20 server accepts one new
// connection per event-loop turn (measured: docs/benchmarks/room.md, "The accept queue"), so a
// room must not make its phones connect again for every batch: connections stay open past the
// longest pace the node asks for, and a room's first taps (every phone at once) wait in a listen
// queue long enough to hold them instead of overflowing into the kernel's 1, 3, 7 s SYN-ACK retries.
import type { Server } from "node:http";
import { MAX_PACE_MS } from "@/lib/games/click-pace";

/**
 * An idle kept-alive connection closes after this long: three times the longest pace, so a paced
 * phone's next batch always finds its connection. Browsers keep theirs open longer still (Chrome
 * about 5 min, Firefox 115 s); Node's default of 5 s was shorter than a 1 000-guest room's pace.
 */
export const KEEP_ALIVE_MS = 3 * MAX_PACE_MS;

/** Connections the kernel may hold for the node to accept (capped by net.core.somaxconn, 4 096 by default). */
export const LISTEN_BACKLOG = 4096;

export function holdConnections(server: Server): void {
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  // Node closes a connection whose next request's headers take longer than this; it must not cut
  // a kept-alive one sooner than keepAliveTimeout does.
  server.headersTimeout = Math.max(server.headersTimeout, KEEP_ALIVE_MS + 1000);
}
