// BusClient against the real server (issue 22 §1): a connection cut between two `more` pages of
// a replay resumes from the last id the client applied, so the replay's tail is neither skipped
// nor applied twice. Runs on SQLite and, with the PostgreSQL config, on PostgreSQL.
import { io as connectClient } from "socket.io-client";
import { afterEach, expect, it } from "vitest";
import { BusClient, type BusSocket } from "@/lib/bus/client/bus-client";
import type { WireNotification } from "@/lib/bus/events";
import { busHarnessForFile, until, type TestUser } from "../support/bus-harness";

const h = busHarnessForFile();
const PAGE_ROWS = 500;
const opened: BusClient[] = [];
afterEach(() => opened.splice(0).forEach((bus) => bus.close()));

/** A socket that reconnects by itself, as the browser's does. */
function reconnectingSocket(user: TestUser): BusSocket {
  return connectClient(h.url, {
    path: "/socket.io",
    transports: ["websocket"],
    forceNew: true,
    reconnectionDelay: 50,
    reconnectionDelayMax: 100,
    auth: { token: user.token },
  });
}

/**
 * Holds back the subscribe that would ask for the page after the `pagesFirst`-th `more` page (as
 * a connection about to drop would): resolves with the `last` it was to resume from.
 */
function stallAfterPages(socket: BusSocket, pagesFirst: number): Promise<number> {
  let pages = 0;
  const emit = socket.emit.bind(socket) as (event: string, ...args: unknown[]) => BusSocket;
  return new Promise((resolve) => {
    (socket as { emit: (event: string, ...args: unknown[]) => BusSocket }).emit = (event, ...args) => {
      const payload = args[0] as { last?: number } | undefined;
      if (event === "subscribe" && payload?.last !== undefined && pages === pagesFirst) {
        pages += 1;
        resolve(payload.last);
        return socket;
      }
      if (event === "subscribe" && payload?.last !== undefined) pages += 1;
      return emit(event, ...args);
    };
  });
}

async function renames(channel: `game:${number}`, count: number): Promise<number[]> {
  const before = await h.lib.store.latestNotificationId();
  await h.lib.transact.transact(async ({ announce }) => {
    for (let index = 0; index < count; index += 1) announce(channel, "renamed", { name: `name ${index}` });
  });
  const ids = Array.from({ length: count }, (_, index) => before + 1 + index);
  expect(await h.lib.store.latestNotificationId()).toBe(ids.at(-1));
  return ids;
}

it.each([1, 2])("resumes from the last applied id after a cut after page %i, skipping nothing", async (pagesFirst) => {
  const alice = await h.user("alice");
  const gameId = await h.gameWith(alice);
  const channel = `game:${gameId}` as const;
  const cursor = await h.lib.store.latestNotificationId();
  const ids = await renames(channel, PAGE_ROWS * 3 + 37);

  const socket = reconnectingSocket(alice);
  const stalled = stallAfterPages(socket, pagesFirst);
  const bus = new BusClient(socket);
  opened.push(bus);
  const received: number[] = [];
  bus.listen(
    channel,
    { onNotification: (n: WireNotification) => void (n.id !== null && received.push(n.id)) },
    {
      since: cursor,
    },
  );
  expect(await stalled).toBe(ids[pagesFirst * PAGE_ROWS - 1]);
  // Live notifications newer than the whole replay reach the socket (the server joined it at the
  // first page) before the connection drops; the resume must still start at the page's end.
  const frames: number[] = [];
  socket.on("notification", (n: WireNotification) => void (n.id !== null && frames.push(n.id)));
  const live = await renames(channel, 3);
  await until(() => frames.length === live.length, "live notifications");
  socket.io.engine.close();
  const all = [...ids, ...live];
  await until(() => received.length >= all.length, `${all.length} notifications`, 30_000);
  expect(received.length).toBe(all.length);
  expect([...received].sort((a, b) => a - b)).toEqual(all);
});
