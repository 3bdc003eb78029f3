// transact() inside another transaction, on both engines: inside a transact it joins it (one
// commit, emits after it); inside a plain transaction() (db/client.ts) it refuses, since it could
// only emit before that transaction commits, or after it rolled back.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { WireNotification } from "@/lib/bus/events";
import { busHarnessForFile, nextNotification, record, subscribeOk } from "../support/bus-harness";

const h = busHarnessForFile();

const renames = (notifications: WireNotification[]) =>
  notifications.filter((n) => n.event === "renamed" && !h.isMarker(n));

describe("transact nested in another transaction", () => {
  it("refuses inside a plain transaction(), which rolls back whole: nothing changed, stored or emitted", async () => {
    const alice = await h.user("alice");
    const gameId = await h.gameWith(alice);
    const channel = `game:${gameId}` as const;
    const tab = await h.connect(alice);
    await subscribeOk(tab, { channels: [channel] });
    const seen = record(tab);
    const { games } = h.lib.schema;
    const before = await h.lib.store.latestNotificationId();

    const outer = h.lib.db.transaction(async (tx) => {
      await tx.update(games).set({ name: "Outer" }).where(eq(games.id, gameId));
      await h.lib.transact.transact(async ({ announce }) => announce(channel, "renamed", { name: "Inner" }));
      return "committed";
    });
    await expect(outer).rejects.toThrow("transact() was called inside a transaction()");

    await h.sync(tab);
    expect(renames(seen.notifications)).toEqual([]);
    expect(await h.lib.store.latestNotificationId()).toBe(before);
    const [game] = await h.lib.db.db().select({ name: games.name }).from(games).where(eq(games.id, gameId));
    expect(game?.name).not.toBe("Outer");
  });

  it("joins a transact, also through a transaction() inside it: one commit, then the emit", async () => {
    const alice = await h.user("alice");
    const gameId = await h.gameWith(alice);
    const channel = `game:${gameId}` as const;
    const tab = await h.connect(alice);
    await subscribeOk(tab, { channels: [channel] });
    const { games } = h.lib.schema;

    const arrives = nextNotification(tab, (n) => n.event === "renamed");
    await h.lib.transact.transact(async ({ tx }) => {
      await tx.update(games).set({ name: "Joined" }).where(eq(games.id, gameId));
      await h.lib.db.transaction(() =>
        h.lib.transact.transact(async ({ announce }) => announce(channel, "renamed", { name: "Joined" })),
      );
    });
    expect(await arrives).toMatchObject({ channel, payload: { name: "Joined" } });
    const [game] = await h.lib.db.db().select({ name: games.name }).from(games).where(eq(games.id, gameId));
    expect(game?.name).toBe("Joined");
  });
});
