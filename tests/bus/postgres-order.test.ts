// The bus on PostgreSQL (issue #14, docs/postgres.md): ids from a sequence can commit out of
// order, so announcing transactions are serialized by an advisory lock held until their commit.
// Two transactions are held open, the first one after drawing its id: the second must wait, so
// a subscriber sees the ids in order and a replay from a cursor read in between loses nothing;
// the latest id never counts an uncommitted id; retention keeps the latest id, one node at a time.
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { WireNotification } from "@/lib/bus/events";
import { record, subscribeOk, until, within, type BusClient, type Recorder } from "../support/bus-harness";
import { openLedgerLib, startLedgerBus, type Ledger, type LedgerBus, type LedgerLib } from "../support/ledger-bus";
import { describeWithPostgres, freshPostgres } from "../support/postgres";

/** The gate: a trigger makes an insert of a `held` notification wait for this lock (which the test holds). */
const GATE = 7_151_551;
const CHANNEL: Ledger = "ledger:1";

const HOLD_TRIGGER = `
  create function clickbus_test_hold() returns trigger language plpgsql as $$
  begin
    if new.event = 'held' then perform pg_advisory_xact_lock_shared(${GATE}); end if;
    return null;
  end $$;
  create trigger clickbus_test_hold after insert on bus_notifications for each row execute function clickbus_test_hold();
`;

await describeWithPostgres("notification ids on PostgreSQL", () => {
  const database = freshPostgres();
  let lib: LedgerLib;
  let bus: LedgerBus | undefined;
  let subscriber: BusClient;
  let control: pg.Client;

  beforeAll(async () => {
    lib = await openLedgerLib(database().url);
    await database().pool.query(HOLD_TRIGGER);
    control = new pg.Client({ connectionString: database().url });
    await control.connect();
    bus = await startLedgerBus(lib);
    subscriber = bus.subscriber;
  });
  afterAll(async () => {
    await bus?.close();
    await control?.end();
    await lib?.client.closeDatabase();
  });

  /** How many sessions wait for an advisory lock: on the gate (one key) or the order lock (two). */
  async function waitingFor(lock: "gate" | "order"): Promise<number> {
    const [classid, objid, objsubid] = lock === "gate" ? [0, GATE, 1] : [...lib.store.NOTIFICATION_ORDER_LOCK, 2];
    const { rows } = await control.query<{ waiting: string }>(
      "select count(*) as waiting from pg_locks where locktype = 'advisory' and not granted and classid = $1 and objid = $2 and objsubid = $3",
      [classid, objid, objsubid],
    );
    return Number(rows[0]?.waiting ?? 0);
  }

  const announce = (event: "held" | "said", n: number, channel: Ledger = CHANNEL) =>
    lib.transact.transact(async ({ announce: say }) => say(channel, event, { n }));
  const stored = (recorder: Recorder): WireNotification[] => recorder.notifications.filter((n) => n.id !== null);

  it("commits a lower id before a higher one: a subscriber and a replay from a cursor read in between get both, in order", async () => {
    const live = record(subscriber);
    const before = await lib.store.latestNotificationId();
    await control.query("select pg_advisory_lock($1)", [GATE]);
    const first = announce("held", 1);
    await until(
      async () => (await waitingFor("gate")) === 1,
      "the first transaction drew its id and waits at the gate",
    );
    // (b) The id is drawn (the sequence counts it) but not committed: the latest id must not say it.
    const drawn = await control.query<{ last_value: string }>("select last_value from bus_notifications_id_seq");
    expect(Number(drawn.rows[0]?.last_value)).toBe(before + 1);
    expect(await lib.store.latestNotificationId()).toBe(before);

    let secondDone = false;
    const second = announce("said", 2).then(() => (secondDone = true));
    await until(
      async () => secondDone || (await waitingFor("order")) === 1,
      "the second transaction waits for the first, or has committed",
    );
    // A cursor read now (a render, a subscribe) must be below every id still to commit.
    const cursor = await lib.store.latestNotificationId();
    const secondWaited = !secondDone;

    await control.query("select pg_advisory_unlock($1)", [GATE]);
    await within(Promise.all([first, second]), "both transactions commit");
    // Checked after the gate is open, so that without the lock the consequences show.
    const replay = await lib.replayRead.readReplay([CHANNEL], cursor);
    expect(replay.notifications.map((n) => n.id)).toEqual([before + 1, before + 2]);
    const resumed = await subscribeOk(subscriber, { channels: [CHANNEL], last: cursor });
    expect(resumed.notifications?.map((n) => n.id)).toEqual([before + 1, before + 2]);
    expect(resumed.last).toBe(before + 2);
    await until(() => stored(live).length === 2, "both notifications reach the subscriber");
    expect(stored(live).map((n) => [n.id, n.event])).toEqual([
      [before + 1, "held"],
      [before + 2, "said"],
    ]);
    expect(cursor).toBe(before);
    expect(secondWaited).toBe(true);
    live.stop();
  });

  it("does not count the id of a rolled-back transaction as the latest, though the sequence used it up", async () => {
    const before = await lib.store.latestNotificationId();
    await expect(
      lib.transact.transact(async ({ tx }) => {
        // transact stores after the work: store now, then fail, as a later statement could.
        await lib.store.storeNotifications(tx, [{ channel: CHANNEL, event: "said", payload: { n: 3 } }]);
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    const drawn = await control.query<{ last_value: string }>("select last_value from bus_notifications_id_seq");
    expect(Number(drawn.rows[0]?.last_value)).toBeGreaterThan(before);
    expect(await lib.store.latestNotificationId()).toBe(before);
    await announce("said", 4);
    expect(await lib.store.latestNotificationId()).toBeGreaterThan(Number(drawn.rows[0]?.last_value));
  });

  it("keeps the latest id when retention prunes everything, and prunes on one node at a time", async () => {
    for (let n = 0; n < 3; n += 1) await announce("said", n);
    const latest = await lib.store.latestNotificationId();
    const policy = { maxAgeMs: 60 * 60 * 1000, maxCount: 0, maxPerChannel: 1_000 };

    // Another node is pruning (it holds the lock): this one skips its round.
    await control.query("select pg_advisory_lock($1::int, $2::int)", [...lib.retention.PRUNE_LOCK]);
    expect(await lib.retention.pruneNotifications(policy)).toBe(0);
    expect((await lib.replayRead.readReplay([CHANNEL], latest - 1)).notifications.map((n) => n.id)).toEqual([latest]);
    await control.query("select pg_advisory_unlock($1::int, $2::int)", [...lib.retention.PRUNE_LOCK]);

    expect(await lib.retention.pruneNotifications(policy)).toBeGreaterThanOrEqual(3);
    const { rows } = await database().pool.query<{ left: string }>("select count(*) as left from bus_notifications");
    expect(Number(rows[0]?.left)).toBe(0);
    expect(await lib.store.latestNotificationId()).toBe(latest);
    expect(await lib.replayRead.readReplay([CHANNEL], latest - 1)).toEqual({
      notifications: [],
      last: latest,
      more: false,
      reset: true,
    });
    expect(await lib.replayRead.readReplay([CHANNEL], latest)).toEqual({
      notifications: [],
      last: latest,
      more: false,
      reset: false,
    });
    await announce("said", 9);
    expect(await lib.store.latestNotificationId()).toBeGreaterThan(latest);
  });

  it("trims a flooded channel to its share and raises its floor (the portable window query and upsert)", async () => {
    await announce("said", 0, "ledger:2");
    const quiet = await lib.store.latestNotificationId();
    const flood: number[] = [];
    for (let n = 0; n < 6; n += 1) {
      await announce("said", n);
      flood.push(await lib.store.latestNotificationId());
    }
    const [, , third, fourth, fifth, sixth] = flood as [number, number, number, number, number, number];
    const policy = { maxAgeMs: 60 * 60 * 1000, maxCount: 1_000, maxPerChannel: 2 };
    // The flood, and the one left by the test above: all but the newest two of the channel.
    expect(await lib.retention.pruneNotifications(policy)).toBe(5);
    expect((await lib.replayRead.readReplay([CHANNEL], third)).reset).toBe(true);
    expect((await lib.replayRead.readReplay([CHANNEL], fourth)).notifications.map((n) => n.id)).toEqual([fifth, sixth]);
    expect(await lib.replayRead.readReplay(["ledger:2"], quiet - 1)).toMatchObject({
      reset: false,
      notifications: [{ id: quiet }],
    });
    // Trimmed again: the floor row exists, so the upsert keeps the greater floor.
    await announce("said", 7);
    expect(await lib.retention.pruneNotifications(policy)).toBe(1);
    expect((await lib.replayRead.readReplay([CHANNEL], fourth)).reset).toBe(true);
    expect((await lib.replayRead.readReplay([CHANNEL], fifth)).reset).toBe(false);
  });
});
