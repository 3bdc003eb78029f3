// Guest pruning (lib/games/guest-pruning.ts) on a real database (either engine) with a real bus: guests not
// seen for the retention period go with their memberships (announced like a departure, their
// sockets closed), their clicks stay in the totals, and everyone else stays.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { busHarnessForFile, nextDisconnect, nextNotification, subscribeOk } from "../support/bus-harness";

const h = busHarnessForFile();
const DAY_MS = 24 * 60 * 60 * 1000;

async function lib() {
  return {
    guests: await import("@/lib/games/guests"),
    pruning: await import("@/lib/games/guest-pruning"),
    inviteLink: await import("@/lib/games/invite-link"),
    users: await import("@/lib/auth/users"),
    tokens: await import("@/lib/auth/api-tokens"),
    // After the harness has set the environment: @/db/tables picks the engine's tables at import.
    tables: await import("@/db/tables"),
  };
}

/** Backdates the user's last signed-in request (a write: in a transaction, as every write is). */
async function lastSeen(userId: number, at: Date): Promise<void> {
  const { users } = (await lib()).tables;
  await h.lib.db.transaction((tx) => tx.update(users).set({ lastSeenAt: at }).where(eq(users.id, userId)));
}

let address = 0;

describe("pruneInactiveGuests", () => {
  it("removes guests idle past the retention period with their memberships, keeps their clicks in the totals, and spares everyone else", async () => {
    const { guests, pruning, inviteLink, users, tokens, tables } = await lib();
    const owner = await h.user("owner");
    const gameId = await h.gameWith(owner);
    const code = await inviteLink.regenerateInviteLink(owner, gameId);
    const join = async (nickname: string) =>
      (await guests.joinAsGuest({ code, nickname }, `192.0.2.${(address += 1)}`)).user;
    const idle = await join("idle-guest");
    const recent = await join("recent-guest");
    const kept = await join("kept-guest");
    const host = await join("hosting-guest");
    const hostedGame = await h.lib.games.createGame(host, { name: "A guest's own game" });
    expect(await users.setGuestPassword(kept.id, "a-real-password")).toBe(true);
    for (const guest of [idle, recent, kept, host])
      await h.lib.clicks.addClicks(guest, { gameId, count: 5, batchId: `clicks-of-${guest.username}` });

    const now = Date.now();
    const longAgo = new Date(now - 31 * DAY_MS);
    for (const guest of [idle, kept, host]) await lastSeen(guest.id, longAgo);
    await lastSeen(recent.id, new Date(now - 29 * DAY_MS));

    const ownerTab = await h.connect(owner);
    await subscribeOk(ownerTab, { channels: [`game:${gameId}`] });
    const idleTab = await h.connect({
      ...idle,
      password: "",
      token: (await tokens.createApiToken(idle.id, "tests")).token,
    });
    const departure = nextNotification(ownerTab, (n) => n.event === "member_left");
    const closed = nextDisconnect(idleTab);

    expect(await pruning.pruneInactiveGuests({ inactiveDays: 30, now })).toBe(1);

    expect((await departure).payload).toEqual({ member: { id: idle.id, username: idle.username }, reason: "left" });
    await closed;
    const remaining = (await h.lib.db.db().select({ id: tables.users.id }).from(tables.users)).map((row) => row.id);
    expect(remaining).not.toContain(idle.id);
    expect(remaining).toEqual(expect.arrayContaining([owner.id, recent.id, kept.id, host.id]));
    const details = await h.lib.games.gameDetails(owner, gameId);
    expect(details.total).toBe(20);
    expect(details.members.map((member) => member.username).sort()).toEqual(
      [host.username, kept.username, owner.username, recent.username].sort(),
    );
    expect((await h.lib.games.gameDetails(host, hostedGame.id)).id).toBe(hostedGame.id);
    // The name is free again, and a second sweep finds nothing more.
    expect((await join("idle-guest")).username).toBe("idle-guest");
    expect(await pruning.pruneInactiveGuests({ inactiveDays: 30, now })).toBe(0);
  });

  it("counts a signed-in request as activity: a guest seen recently stays", async () => {
    const { guests, pruning, inviteLink } = await lib();
    const owner = await h.user("owner");
    const gameId = await h.gameWith(owner);
    const code = await inviteLink.regenerateInviteLink(owner, gameId);
    const guest = (await guests.joinAsGuest({ code, nickname: "comes-back" }, "192.0.2.200")).user;
    await lastSeen(guest.id, new Date(Date.now() - 40 * DAY_MS));
    // A session cookie read (page, action, API or socket) notes the visit.
    const socket = await h.connect({ ...guest, password: "", token: "" }, { via: "cookie" });
    socket.disconnect();
    expect(await pruning.pruneInactiveGuests({ inactiveDays: 30 })).toBe(0);
    expect((await h.lib.games.gameDetails(owner, gameId)).members.map((member) => member.username)).toContain(
      "comes-back",
    );
  });

  it("judges a guest never seen by when the account was made", async () => {
    const { guests, pruning, inviteLink, tables } = await lib();
    const { users } = tables;
    const owner = await h.user("owner");
    const gameId = await h.gameWith(owner);
    const code = await inviteLink.regenerateInviteLink(owner, gameId);
    const [old, young] = [
      (await guests.joinAsGuest({ code, nickname: "never-seen-old" }, "192.0.2.201")).user,
      (await guests.joinAsGuest({ code, nickname: "never-seen-new" }, "192.0.2.202")).user,
    ];
    const now = Date.now();
    await h.lib.db.transaction(async (tx) => {
      await tx
        .update(users)
        .set({ lastSeenAt: null, createdAt: new Date(now - 31 * DAY_MS) })
        .where(eq(users.id, old.id));
      await tx
        .update(users)
        .set({ lastSeenAt: null, createdAt: new Date(now - 29 * DAY_MS) })
        .where(eq(users.id, young.id));
    });

    expect(await pruning.pruneInactiveGuests({ inactiveDays: 30, now })).toBe(1);
    const members = (await h.lib.games.gameDetails(owner, gameId)).members.map((member) => member.username);
    expect(members).toContain(young.username);
    expect(members).not.toContain(old.username);
  });
});
