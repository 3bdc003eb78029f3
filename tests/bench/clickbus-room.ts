// The `room` scenario on Clickbus: the bench's owner makes a game and its invite link, N guests
// join through POST /api/invites/:code/guests (the room's own limits apply: a 429 pauses the joins
// for its Retry-After), and every tap goes through addClicksAction with the guest's cookie, or
// through POST /api/games/:id/clicks with it (the `api` path).
import type { Agent } from "node:http";
import { z } from "zod";
import { JoinPacer } from "@/scripts/crowd/join-pacer";
import { actionResult, parseFlight } from "../actions/action-client";
import { postJson } from "./accounts";
import { get, post, type HttpAnswer } from "./http";
import { mapLimit } from "./map-limit";
import { acceptedClick, roomAgents, type Room, type RoomClick } from "./room-target";
import type { Batch, ClickVia, Player } from "./target";
import { now } from "./clock";

export type RoomNode = { url: string; agent: Agent; secret: string; ownerCookie: string; addClicksId: string };

const createdGame = z.object({ id: z.number().int().positive() });
const inviteLink = z.object({ path: z.string().startsWith("/join/") });
const joined = z.object({ user: z.object({ id: z.number().int().positive(), username: z.string() }) });
const clicksValue = z.object({
  total: z.number().int(),
  counted: z.boolean(),
  paceMs: z.number().nonnegative().optional(),
});
const gameTotal = z.object({ total: z.number().int() });
/** What the game page renders for its click queue (app/games/[id]/click-pad.tsx). */
const CLICK_BUDGET = /data-click-budget="(\d+)"/;

const JOINS_IN_FLIGHT = 8;
/** Joins started per second at most; the pacer halves it on a 429 (see scripts/crowd/join-pacer.ts). */
const JOINS_PER_SECOND = 200;

type Guest = Player & { cookie: string };

function sessionCookie(answer: HttpAnswer): string {
  const cookie = [answer.headers["set-cookie"] ?? []]
    .flat()
    .map((line) => line.split(";")[0] ?? "")
    .find((pair) => pair.startsWith("authjs.session-token="));
  if (!cookie) throw new Error("a guest join answered without a session cookie");
  return cookie;
}

async function joinGuest(node: RoomNode, code: string, nickname: string, pacer: JoinPacer): Promise<Guest> {
  const never = new AbortController().signal;
  for (;;) {
    await pacer.turn(never);
    const answer = await post(
      node.agent,
      `${node.url}/api/invites/${code}/guests`,
      { "content-type": "application/json" },
      JSON.stringify({ nickname }),
    );
    if (answer.status === 429) {
      pacer.limited((Number(answer.headers["retry-after"]) || 1) * 1000);
      continue;
    }
    if (answer.status !== 201) throw new Error(`guest join answered ${answer.status}: ${answer.text}`);
    pacer.joined();
    const { user } = joined.parse(JSON.parse(answer.text));
    return { id: user.id, username: user.username, cookie: sessionCookie(answer) };
  }
}

async function clickAction(
  node: RoomNode,
  agent: Agent,
  gameId: number,
  guest: Guest,
  batch: Batch,
): Promise<RoomClick> {
  const headers = {
    "next-action": node.addClicksId,
    accept: "text/x-component",
    "content-type": "text/plain;charset=UTF-8",
    cookie: guest.cookie,
    origin: node.url,
  };
  const answer = await post(agent, `${node.url}/games/${gameId}`, headers, JSON.stringify([{ gameId, ...batch }]));
  const outcome = parseFlight(answer.text);
  if (answer.status !== 200 || outcome.kind !== "value")
    return { kind: "rejected", code: `action_${answer.status}_${outcome.kind}` };
  const result = actionResult.parse(outcome.value);
  if (!result.ok) return { kind: "rejected", code: result.error };
  const value = clicksValue.parse(result.value);
  // A repeat (counted: false) is the answer to a batch already counted: acknowledged all the same.
  return acceptedClick(answer, value.total, value.paceMs);
}

const apiAnswer = z.object({ total: z.number().int(), paceMs: z.number().nonnegative() });

async function clickApi(node: RoomNode, agent: Agent, gameId: number, guest: Guest, batch: Batch): Promise<RoomClick> {
  const headers = { "content-type": "application/json", cookie: guest.cookie, origin: node.url };
  const answer = await post(agent, `${node.url}/api/games/${gameId}/clicks`, headers, JSON.stringify(batch));
  if (answer.status !== 200) return { kind: "rejected", code: `api_${answer.status}` };
  const value = apiAnswer.parse(JSON.parse(answer.text));
  return acceptedClick(answer, value.total, value.paceMs);
}

export async function openClickbusRoom(node: RoomNode, size: number): Promise<Room> {
  const { id: gameId } = await postJson(node, "/api/games", node.ownerCookie, { name: `Room of ${size}` }, createdGame);
  const { path } = await postJson(node, `/api/games/${gameId}/invite-link`, node.ownerCookie, {}, inviteLink);
  const code = path.slice("/join/".length);
  const pacer = new JoinPacer(JOINS_PER_SECOND);
  const started = now();
  const names = Array.from({ length: size }, (_, index) => `g${gameId}_${index + 1}`);
  const guests = await mapLimit(names, JOINS_IN_FLIGHT, (nickname) => joinGuest(node, code, nickname, pacer));
  const joinSeconds = (now() - started) / 1000;
  const agents = roomAgents(
    node.url,
    guests.map(({ id }) => id),
  );
  const byId = new Map(guests.map((guest) => [guest.id, guest]));
  const guestOf = (player: Player): Guest => byId.get(player.id) ?? (guests[0] as Guest);
  return {
    url: node.url,
    channel: `game:${gameId}`,
    guests: guests.map(({ id, username }) => ({ id, username })),
    joinSeconds,
    click: (player, batch, via: ClickVia) =>
      (via === "api" ? clickApi : clickAction)(node, agents.phone(player.id), gameId, guestOf(player), batch),
    openPageConnections: agents.openPageConnections,
    clickBudget: async () => {
      const page = await get(node.agent, `${node.url}/games/${gameId}`, { cookie: guests[0]?.cookie ?? "" });
      const budget = CLICK_BUDGET.exec(page.text)?.[1];
      if (page.status !== 200 || !budget)
        throw new Error(`the game page answered ${page.status} without a click budget`);
      return Number(budget);
    },
    socketOptions: (player) => ({ extraHeaders: { cookie: guestOf(player).cookie, origin: node.url } }),
    health: agents.health,
    total: async () =>
      gameTotal.parse(
        JSON.parse((await get(node.agent, `${node.url}/api/games/${gameId}`, { cookie: node.ownerCookie })).text),
      ).total,
    close: agents.close,
  };
}
