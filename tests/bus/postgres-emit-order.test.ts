// The emit line on PostgreSQL, end to end (lib/bus/emit-order.ts, docs/bus.md §3): PostgreSQL
// releases the order lock before it answers COMMIT, so a later commit's answer can reach the node
// first. The first commit's answer is held back on the wire (a proxy in front of the database)
// while a second transaction commits: the subscriber must still get the lower id first.
import { afterAll, beforeAll, expect, it } from "vitest";
import { record, until, within, type BusClient } from "../support/bus-harness";
import { openLedgerLib, startLedgerBus, type Ledger, type LedgerBus, type LedgerLib } from "../support/ledger-bus";
import { describeWithPostgres, freshPostgres } from "../support/postgres";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";

const CHANNEL: Ledger = "ledger:1";

await describeWithPostgres("the emit line on PostgreSQL", () => {
  const database = freshPostgres();
  let proxy: TcpProxy;
  let lib: LedgerLib;
  let bus: LedgerBus | undefined;
  let subscriber: BusClient;

  beforeAll(async () => {
    proxy = await startTcpProxy(new URL(database().url));
    lib = await openLedgerLib(proxy.via(database().url));
    bus = await startLedgerBus(lib);
    subscriber = bus.subscriber;
  });
  afterAll(async () => {
    await bus?.close();
    // The proxy first: a connection still held there would keep the pool from closing.
    await proxy?.close();
    await lib?.client.closeDatabase();
  });

  const announce = (n: number) => lib.transact.transact(async ({ announce: say }) => say(CHANNEL, "said", { n }));

  it("emits a commit whose answer comes late before a later commit whose answer came first", async () => {
    const live = record(subscriber);
    const before = await lib.store.latestNotificationId();
    const held = proxy.holdNextAnswer(/\bcommit\b/i);
    const first = announce(1);
    const release = await within(held, "the first transaction committed; its answer is held");
    try {
      // Its id is committed, the order lock is free: the second draws the next id and commits.
      await within(announce(2), "the second transaction commits while the first's answer is held");
    } finally {
      // At once: the emit line lets a head that never answers be overtaken after 2 s.
      release();
    }
    await within(first, "the first transaction's answer arrives");
    expect(await lib.store.latestNotificationId()).toBe(before + 2);
    await until(
      () => live.notifications.filter((n) => n.channel === CHANNEL).length === 2,
      "both notifications reach the subscriber",
    );
    expect(live.notifications.filter((n) => n.channel === CHANNEL).map((n) => [n.id, n.payload])).toEqual([
      [before + 1, { n: 1 }],
      [before + 2, { n: 2 }],
    ]);
    live.stop();
  });
});
