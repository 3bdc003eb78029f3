// Changes racing each other on one database (either engine), as on nodes sharing it: SQLite runs
// the transactions one at a time, PostgreSQL side by side, where a check read before a write can
// pass in both. Unique constraints decide instead: one round runs per game, a player joins once,
// a batch counts once, and the losers get the documented answer, never an error of the database.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { busHarnessForFile } from "../support/bus-harness";

const h = busHarnessForFile();
const RACERS = 5;

/** How many calls succeeded, and the codes of those that failed (anything but an AppError is a bug). */
async function outcomes(calls: Promise<unknown>[]): Promise<{ ok: number; refused: string[] }> {
  const { AppError } = await import("@/lib/runtime/app-error");
  const settled = await Promise.allSettled(calls);
  const refused = settled.flatMap((result) => {
    if (result.status === "fulfilled") return [];
    if (result.reason instanceof AppError) return [result.reason.code];
    throw result.reason;
  });
  return { ok: settled.length - refused.length, refused };
}

const times = <T>(count: number, call: () => Promise<T>): Promise<T>[] => Array.from({ length: count }, call);

describe("racing changes", () => {
  it("starts one round of several started at once; the others answer conflict", async () => {
    const { startRound, listRounds } = await import("@/lib/games/rounds");
    const owner = await h.user("owner");
    const gameId = await h.gameWith(owner);
    expect(await outcomes(times(RACERS, () => startRound(owner, gameId, { seconds: 60 })))).toEqual({
      ok: 1,
      refused: Array(RACERS - 1).fill("conflict"),
    });
    expect(await listRounds(owner, gameId)).toHaveLength(1);
  });

  it("adds a player invited several times at once once; the other invitations answer conflict", async () => {
    const [owner, player] = [await h.user("owner"), await h.user("player")];
    const gameId = await h.gameWith(owner);
    const invite = () => h.lib.members.inviteMember(owner, gameId, { username: player.username });
    expect(await outcomes(times(RACERS, invite))).toEqual({ ok: 1, refused: Array(RACERS - 1).fill("conflict") });
    const { members } = await h.lib.games.gameDetails(owner, gameId);
    expect(members.filter((member) => member.id === player.id)).toHaveLength(1);
  });

  it("joins a player following one invite link several times at once once, every call answering the game", async () => {
    const { regenerateInviteLink } = await import("@/lib/games/invite-link");
    const { recentActivity } = await import("@/lib/games/activity");
    const [owner, player] = [await h.user("owner"), await h.user("player")];
    const gameId = await h.gameWith(owner);
    const code = await regenerateInviteLink(owner, gameId);
    expect(await Promise.all(times(RACERS, () => h.lib.members.joinByInviteCode(player, code)))).toEqual(
      Array(RACERS).fill(gameId),
    );
    const { members } = await h.lib.games.gameDetails(owner, gameId);
    expect(members.filter((member) => member.id === player.id)).toHaveLength(1);
    // One join, so one entry in the feed (a join that found the player in already records none).
    expect((await recentActivity(gameId)).filter((entry) => entry.kind === "joined")).toHaveLength(1);
  });

  it("counts a batch sent several times at once once, in the game, the member and the running round", async () => {
    const { startRound } = await import("@/lib/games/rounds");
    const { standingsOf } = await import("@/lib/games/round-scores");
    const owner = await h.user("owner");
    const gameId = await h.gameWith(owner);
    const round = await startRound(owner, gameId, { seconds: 60 });
    const batch = { gameId, count: 4, batchId: randomUUID() };
    const answers = await Promise.all(times(RACERS, () => h.lib.clicks.addClicks(owner, batch)));
    expect(answers.filter((answer) => answer.counted)).toHaveLength(1);
    expect(answers.map((answer) => answer.total)).toEqual(Array(RACERS).fill(4));
    const details = await h.lib.games.gameDetails(owner, gameId);
    expect({ total: details.total, clicks: details.members[0]?.clicks }).toEqual({ total: 4, clicks: 4 });
    expect(await standingsOf(round.id, 10)).toEqual([{ userId: owner.id, username: owner.username, clicks: 4 }]);
  });
});
