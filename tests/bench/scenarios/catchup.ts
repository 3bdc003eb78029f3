// Scenario 4, catch-up: R sockets subscribe and go away, M click batches are committed while they
// are gone, then all R reconnect together and subscribe with `last`; the time until every one has
// the whole replay, the bytes they received, the CPU the server and this process (the returning
// sockets' side) spent meanwhile, and a check that each got exactly the missed ids.
import { Ledger, wireNotification, type DeliveryCounts } from "../delivery";
import { PlayerPool } from "../pacing";
import { catchUpWith, openWatcher, WatcherGroup, type Watcher } from "../sockets";
import type { Target } from "../target";
import { nextBatchId } from "../batch-ids";
import { now, sleep, waitQuiet } from "../clock";
import { mapLimit } from "../map-limit";

/** `concurrency`: handshakes in flight while setting up; `reconnectConcurrency`: while returning. */
/** `replayInAck`: the baseline answers with the replay as one array in the ack (its second row). */
export type CatchupOptions = {
  sockets: number;
  missed: number;
  concurrency: number;
  reconnectConcurrency?: number;
  replayInAck?: boolean;
};
/** `serverCpuSeconds` and `loadCpuSeconds` (the bench process: decoding what the sockets get)
 * cover the same window as `seconds`, which on two shared cores is at least half their sum. */
export type CatchupResult = {
  sockets: number;
  missed: number;
  seconds: number;
  bytes: number;
  notificationsPerSecond: number;
  serverCpuSeconds: number;
  loadCpuSeconds: number;
  delivery: DeliveryCounts;
};

const REPLAY_TIMEOUT_MS = 120_000;
const WRITERS = 8;

/** Commits `count` click batches through the API while `reference` watches; returns the missed ids. */
async function miss(target: Target, reference: Watcher, count: number): Promise<number[]> {
  const ids: number[] = [];
  const ledger = new Ledger(target.channel, 1);
  reference.socket.on("notification", (raw: unknown) => {
    const note = wireNotification.parse(raw);
    if (note.id !== null && note.channel === target.channel) ids.push(note.id);
    ledger.receive(reference, raw);
  });
  const pool = new PlayerPool(target);
  let issued = 0;
  await mapLimit(Array.from({ length: WRITERS }), WRITERS, async () => {
    while (issued < count) {
      issued += 1;
      const batchId = nextBatchId();
      void ledger.sent(batchId);
      const outcome = await target.click(await pool.next(), "api", { count: 1, batchId });
      if (outcome.kind === "rejected") {
        ledger.refused(batchId);
        issued -= 1;
      } else ledger.accepted(batchId, outcome.total);
    }
  });
  await ledger.drain(REPLAY_TIMEOUT_MS);
  // Milestones and activity ride on the clicks' commits; wait for those too.
  await catchUpWith(target, reference);
  return ids;
}

type Replays = { received: Map<Watcher, number[]>; remaining: number; finished: () => void };

function replayHandler(replays: Replays, cursor: number) {
  return (watcher: Watcher, raw: unknown) => {
    const note = wireNotification.parse(raw);
    if (note.id === null || note.id <= cursor) return;
    const list = replays.received.get(watcher) ?? [];
    replays.received.set(watcher, list);
    list.push(note.id);
    replays.remaining -= 1;
    if (replays.remaining === 0) replays.finished();
  };
}

function check(received: Map<Watcher, number[]>, sockets: number, expected: number[]): DeliveryCounts {
  const counts: DeliveryCounts = {
    expected: expected.length * sockets,
    delivered: 0,
    lost: 0,
    duplicates: 0,
    unexpected: 0,
  };
  const wanted = new Set(expected);
  for (const ids of [...received.values(), ...Array.from({ length: sockets - received.size }, () => [])]) {
    const distinct = new Set(ids);
    counts.delivered += ids.length;
    counts.duplicates +=
      ids.length - distinct.size + ids.filter((id, index) => index > 0 && id < (ids[index - 1] ?? 0)).length;
    counts.unexpected += [...distinct].filter((id) => !wanted.has(id)).length;
    counts.lost += expected.filter((id) => !distinct.has(id)).length;
  }
  return counts;
}

export async function runCatchup(target: Target, options: CatchupOptions): Promise<CatchupResult> {
  const player = target.players[0];
  if (!player) throw new Error("catch-up needs a player");
  const reference = await openWatcher(target, player, () => () => {});
  const leaving = new WatcherGroup(target, options.concurrency);
  await leaving.grow(options.sockets);
  const cursor = Math.max(...leaving.watchers.map((watcher) => watcher.cursor));
  leaving.close();
  await waitQuiet(() => target.cpuSeconds());
  const expected = (await miss(target, reference, options.missed)).filter((id) => id > cursor);
  await waitQuiet(() => target.cpuSeconds());

  const returning = new WatcherGroup(target, options.reconnectConcurrency ?? options.sockets);
  let finished = () => {};
  const done = new Promise<void>((resolve) => (finished = resolve));
  const replays: Replays = { received: new Map(), remaining: expected.length * options.sockets, finished };
  returning.handler = replayHandler(replays, cursor);
  returning.replayInAck = options.replayInAck ?? false;
  const started = now();
  const serverCpuBefore = target.cpuSeconds();
  const loadCpuBefore = process.cpuUsage();
  await returning.grow(options.sockets, cursor);
  await Promise.race([done, sleep(REPLAY_TIMEOUT_MS)]);
  const seconds = (now() - started) / 1000;
  const serverCpuSeconds = target.cpuSeconds() - serverCpuBefore;
  const loadCpu = process.cpuUsage(loadCpuBefore);
  const bytes = returning.watchers.reduce((sum, watcher) => sum + watcher.bytes, 0);
  const delivery = check(replays.received, options.sockets, expected);
  returning.close();
  reference.socket.disconnect();
  await waitQuiet(() => target.cpuSeconds());
  const loadCpuSeconds = (loadCpu.user + loadCpu.system) / 1e6;
  return {
    sockets: options.sockets,
    missed: expected.length,
    seconds,
    bytes,
    notificationsPerSecond: delivery.delivered / seconds,
    serverCpuSeconds,
    loadCpuSeconds,
    delivery,
  };
}
