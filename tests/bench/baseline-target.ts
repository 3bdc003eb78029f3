// Starts the baseline server (baseline-server.ts) in its own child process, like Clickbus runs in
// its own: each server gets its own event loop and core, and its memory can be read alone.
import { spawn, type ChildProcess } from "node:child_process";
import type { Agent } from "node:http";
import { join } from "node:path";
import { z } from "zod";
import { get, keepAliveAgent, post } from "./http";
import { cpuSecondsOf, probeEnv, ServerProbe } from "./process-stats";
import { acceptedClick, roomAgents, type Room } from "./room-target";
import type { Batch, ClickOutcome, ClickVia, Player, Target } from "./target";

/** `env`: what the Clickbus node gets on top of its defaults (the database it runs on). */
export type TargetOptions = {
  players: number;
  maxConnections: number;
  scratchDir: string;
  env?: Record<string, string>;
};

const ready = z.object({ port: z.number().int().positive() });
const apiAnswer = z.object({ total: z.number() });
const actionAnswer = z.object({ ok: z.literal(true), value: z.object({ total: z.number() }) });
const roomCreated = z.object({ channel: z.string().regex(/^game:\d+$/) });
const roomAnswer = z.object({ ok: z.literal(true), value: z.object({ total: z.number(), paceMs: z.number() }) });
const roomTotal = z.object({ total: z.number() });

function waitForPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    child.once("message", (message: unknown) => resolve(ready.parse(message).port));
    child.once("exit", (code) => reject(new Error(`baseline server exited with ${code}`)));
  });
}

async function clickBaseline(
  agent: Agent,
  url: string,
  player: Player,
  via: ClickVia,
  batch: Batch,
): Promise<ClickOutcome> {
  const headers = { "content-type": "application/json", "x-player": String(player.id) };
  if (via === "api") {
    const answer = await post(agent, `${url}/api/games/1/clicks`, headers, JSON.stringify(batch));
    if (answer.status !== 200) return { kind: "rejected", code: `http_${answer.status}` };
    return { kind: "accepted", total: apiAnswer.parse(JSON.parse(answer.text)).total };
  }
  const answer = await post(agent, `${url}/games/1`, headers, JSON.stringify([{ gameId: 1, ...batch }]));
  if (answer.status !== 200) return { kind: "rejected", code: `http_${answer.status}` };
  return { kind: "accepted", total: actionAnswer.parse(JSON.parse(answer.text)).value.total };
}

/** A room of `size` players (ids 1…size, no joins) on the baseline, clicked like Clickbus's action. */
async function openBaselineRoom(agent: Agent, url: string, size: number): Promise<Room> {
  const { channel } = roomCreated.parse(JSON.parse((await post(agent, `${url}/bench/rooms`, {}, "")).text));
  const path = `/games/${channel.slice("game:".length)}`;
  const guests = Array.from({ length: size }, (_, index) => ({ id: index + 1, username: `guest${index + 1}` }));
  const agents = roomAgents(
    url,
    guests.map(({ id }) => id),
  );
  return {
    url,
    channel,
    guests,
    joinSeconds: Number.NaN,
    // One stand-in for both paths: the baseline has no action machinery to tell them apart.
    click: async (guest, batch) => {
      const answer = await post(
        agents.phone(guest.id),
        `${url}${path}`,
        { "content-type": "application/json", "x-player": String(guest.id) },
        JSON.stringify([{ gameId: 0, ...batch }]),
      );
      if (answer.status !== 200) return { kind: "rejected", code: `http_${answer.status}` };
      const { value } = roomAnswer.parse(JSON.parse(answer.text));
      return acceptedClick(answer, value.total, value.paceMs);
    },
    // The stand-in takes every batch as it comes: its phones start as the unpaced page did.
    clickBudget: async () => Number.POSITIVE_INFINITY,
    socketOptions: () => ({ extraHeaders: { origin: url } }),
    health: agents.health,
    openPageConnections: agents.openPageConnections,
    total: async () => roomTotal.parse(JSON.parse((await get(agent, `${url}/api${path}`)).text)).total,
    close: agents.close,
  };
}

export async function startBaseline(options: TargetOptions): Promise<Target> {
  const probeFile = join(options.scratchDir, "baseline-probe.json");
  const child = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "baseline-server.ts")], {
    env: { ...process.env, NODE_ENV: "production", ...probeEnv(probeFile) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const port = await waitForPort(child);
  const url = `http://127.0.0.1:${port}`;
  const pid = child.pid ?? 0;
  const agent = keepAliveAgent(options.maxConnections);
  const players = Array.from({ length: options.players }, (_, index) => ({
    id: index + 1,
    username: `player${index + 1}`,
  }));
  return {
    name: "baseline",
    url,
    pid,
    channel: "game:1",
    players,
    rateLimit: null,
    click: (player, via, batch) => clickBaseline(agent, url, player, via, batch),
    socketOptions: () => ({ extraHeaders: { origin: url } }),
    openRoom: (size) => openBaselineRoom(agent, url, size),
    probe: new ServerProbe(pid, probeFile),
    cpuSeconds: () => cpuSecondsOf(pid),
    stop: async () => {
      agent.destroy();
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
    },
  };
}
