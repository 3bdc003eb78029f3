// Guest pruning (lib/games/guest-pruning.ts) on a real SQLite file with a real bus: guests not
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
  };
}

let address = 0;

describe("pruneInactiveGuests", () => {
  it("removes guests idle past the retention period with their memberships, keeps their clicks in the totals, and spares everyone else", async () => {
    const { guests, pruning, inviteLink, users, tokens } = await lib();
    const { db, schema } = h.lib;
    const owner = await h.user("owner");
    const gameId = await h.gameWith(owner);
    const code = await inviteLink.regenerateInviteLink(owner, gameId);
    const join = async (nickname: string) => (await guests.joinAsGuest({ code, nickname }, `192.0.2.${(address += 1)}`)).user;
    const idle = await join("idle-guest");
    const recent = await join("recent-guest");
    const kept = await join("kept-guest");
    const host = await join("hosting-guest");
    const hostedGame = await h.lib.games.createGame(host, { name: "A guest's own game" });
    expect(await users.setGuestPassword(kept.id, "a-real-password")).toBe(true);
    for (const guest of [idle, recent, kept, host]) await h.lib.clicks.addClicks(guest, { gameId, count: 5, batchId: `clicks-of-${guest.username}` });

    const now = Date.now();
    const longAgo = new Date(now - 31 * DAY_MS);
    for (const guest of [idle, kept, host]) db.db().update(schema.users).set({ lastSeenAt: longAgo }).where(eq(schema.users.id, guest.id)).run();
    db.db().update(schema.users).set({ lastSeenAt: new Date(now - 29 * DAY_MS) }).where(eq(schema.users.id, recent.id)).run();

    const ownerTab = await h.connect(owner);
    await subscribeOk(ownerTab, { channels: [`game:${gameId}`] });
    const idleTab = await h.connect({ ...idle, password: "", token: (await tokens.createApiToken(idle.id, "tests")).token });
    const departure = nextNotification(ownerTab, (n) => n.event === "member_left");
    const closed = nextDisconnect(idleTab);

    expect(await pruning.pruneInactiveGuests({ inactiveDays: 30, now })).toBe(1);

    expect((await departure).payload).toEqual({ member: { id: idle.id, username: idle.username }, reason: "left" });
    await closed;
    const remaining = db.db().select({ id: schema.users.id }).from(schema.users).all().map((row) => row.id);
    expect(remaining).not.toContain(idle.id);
    expect(remaining).toEqual(expect.arrayContaining([owner.id, recent.id, kept.id, host.id]));
    const details = await h.lib.games.gameDetails(owner, gameId);
    expect(details.total).toBe(20);
    expect(details.members.map((member) => member.username).sort()).toEqual([host.username, kept.username, owner.username, recent.username].sort());
    expect((await h.lib.games.gameDetails(host, hostedGame.id)).id).toBe(hostedGame.id);
    // The name is free again, and a second sweep finds nothing more.
    expect((await join("idle-guest")).username).toBe("idle-guest");
    expect(await pruning.pruneInactiveGuests({ inactiveDays: 30, now })).toBe(0);
  });

  it("counts a signed-in request as activity: a guest seen recently stays", async () => {
    const { guests, pruning, inviteLink } = await lib();
    const { db, schema } = h.lib;
    const owner = await h.user("owner");
    const gameId = await h.gameWith(owner);
    const code = await inviteLink.regenerateInviteLink(owner, gameId);
    const guest = (await guests.joinAsGuest({ code, nickname: "comes-back" }, "192.0.2.200")).user;
    db.db().update(schema.users).set({ lastSeenAt: new Date(Date.now() - 40 * DAY_MS) }).where(eq(schema.users.id, guest.id)).run();
    // A session cookie read (page, action, API or socket) notes the visit.
    const socket = await h.connect({ ...guest, password: "", token: "" }, { via: "cookie" });
    socket.disconnect();
    expect(await pruning.pruneInactiveGuests({ inactiveDays: 30 })).toBe(0);
    expect((await h.lib.games.gameDetails(owner, gameId)).members.map((member) => member.username)).toContain("comes-back");
  });
});
