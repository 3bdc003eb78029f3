// Starts the production build of Clickbus (tests/support/server.ts: `node --import tsx server.ts`
// on a free loopback port, fresh SQLite file) with the server probe preloaded, sets up a game
// with its players, and clicks through the HTTP API (Bearer token) or the addClicks server action.
import { randomBytes } from "node:crypto";
import type { Agent } from "node:http";
import { join } from "node:path";
import { z } from "zod";
import { BATCH_BURST, BATCHES_PER_SECOND } from "@/lib/games/click-rate";
import { actionId, actionResult, parseFlight } from "../actions/action-client";
import { freePort, startTestServer } from "../support/server";
import { setUpGame, type Account } from "./accounts";
import { openClickbusRoom } from "./clickbus-room";
import { keepAliveAgent, post } from "./http";
import { cpuSecondsOf, probeEnv, ServerProbe } from "./process-stats";
import type { TargetOptions } from "./baseline-target";
import type { Batch, ClickOutcome, ClickVia, Target } from "./target";

const apiAnswer = z.object({ total: z.number() });
const apiError = z.object({ error: z.string() });
const clicksValue = z.object({ total: z.number(), counted: z.boolean() });

type Clicker = { url: string; agent: Agent; gameId: number; addClicksId: string };

async function clickApi(node: Clicker, account: Account, batch: Batch): Promise<ClickOutcome> {
  const headers = { "content-type": "application/json", authorization: `Bearer ${account.token}` };
  const answer = await post(node.agent, `${node.url}/api/games/${node.gameId}/clicks`, headers, JSON.stringify(batch));
  if (answer.status !== 200)
    return {
      kind: "rejected",
      code: apiError.safeParse(JSON.parse(answer.text)).data?.error ?? `http_${answer.status}`,
    };
  return { kind: "accepted", total: apiAnswer.parse(JSON.parse(answer.text)).total };
}

async function clickAction(node: Clicker, account: Account, batch: Batch): Promise<ClickOutcome> {
  const headers = {
    "next-action": node.addClicksId,
    accept: "text/x-component",
    "content-type": "text/plain;charset=UTF-8",
    cookie: account.cookie,
    origin: node.url,
  };
  const answer = await post(
    node.agent,
    `${node.url}/games/${node.gameId}`,
    headers,
    JSON.stringify([{ gameId: node.gameId, ...batch }]),
  );
  const outcome = parseFlight(answer.text);
  if (answer.status !== 200 || outcome.kind !== "value")
    return { kind: "rejected", code: `action_${answer.status}_${outcome.kind}` };
  const result = actionResult.parse(outcome.value);
  if (!result.ok) return { kind: "rejected", code: result.error };
  const value = clicksValue.parse(result.value);
  return value.counted ? { kind: "accepted", total: value.total } : { kind: "rejected", code: "not_counted" };
}

export async function startClickbus(options: TargetOptions): Promise<Target> {
  const secret = randomBytes(36).toString("base64url");
  const probeFile = join(options.scratchDir, "clickbus-probe.json");
  const metricsPort = await freePort();
  const server = await startTestServer({
    AUTH_SECRET: secret,
    LOG_LEVEL: "warn",
    ...probeEnv(probeFile),
    METRICS_PORT: String(metricsPort),
    METRICS_HOST: "127.0.0.1",
    ...options.env,
  });
  const agent = keepAliveAgent(options.maxConnections);
  try {
    const { gameId, players, ownerCookie } = await setUpGame({ url: server.url, agent, secret }, options.players);
    const node: Clicker = {
      url: server.url,
      agent,
      gameId,
      addClicksId: actionId("app/actions/games.ts", "addClicksAction"),
    };
    const roomNode = { url: server.url, agent, secret, ownerCookie, addClicksId: node.addClicksId };
    const byId = new Map(players.map((account) => [account.id, account]));
    const account = (id: number): Account => {
      const found = byId.get(id);
      if (!found) throw new Error(`no bench account ${id}`);
      return found;
    };
    return {
      name: "clickbus",
      url: server.url,
      pid: server.pid,
      channel: `game:${gameId}`,
      metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
      players: players.map(({ id, username }) => ({ id, username })),
      // A little under the server's limit, so client and server clocks never disagree into a 429.
      rateLimit: { burst: BATCH_BURST - 10, perSecond: BATCHES_PER_SECOND - 2 },
      click: (player, via: ClickVia, batch) =>
        via === "api" ? clickApi(node, account(player.id), batch) : clickAction(node, account(player.id), batch),
      socketOptions: (player) => ({ extraHeaders: { cookie: account(player.id).cookie, origin: server.url } }),
      openRoom: (size) => openClickbusRoom(roomNode, size),
      probe: new ServerProbe(server.pid, probeFile),
      cpuSeconds: () => cpuSecondsOf(server.pid),
      stop: async () => {
        agent.destroy();
        await server.stop();
      },
    };
  } catch (error) {
    agent.destroy();
    console.error(server.output());
    await server.stop();
    throw error;
  }
}
