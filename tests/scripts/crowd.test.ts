// `npm run crowd`: ten bots join a real server's game through its invite link as guests, are
// seen in presence, tap (batched, paced by the server's paceMs), and leave at the end of the
// duration (their clicks stay in the total) or on Ctrl-C; the figures it prints are checked
// against what the server and an independent socket saw. A host other than this machine is
// refused without --yes.
import { spawn } from "node:child_process";
import { afterAll, beforeAll, expect, it } from "vitest";
import { z } from "zod";
import type { WireNotification } from "@/lib/bus/events";
import { gameDetails, gameSummary } from "../api/answers";
import { call, newPlayer, playerSocket, type Player } from "../api/api-client";
import { record, subscribeOk, until, within, type BusClient } from "../support/bus-harness";
import { startTestServer, type TestServer } from "../support/server";

let server: TestServer;
let socket: BusClient | undefined;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  socket?.disconnect();
  await server?.stop();
});

function crowd(args: string[]): { exited: Promise<number | null>; output: () => string } {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/crowd.ts", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return { exited: new Promise((resolve) => child.once("exit", resolve)), output: () => output };
}

/** Presence says the room's count (the owner's socket included), with names or changes beside it. */
const presence = z.object({ count: z.number().int() });
const bots = (notification: WireNotification) => presence.parse(notification.payload).count - 1;
const tallyTotal = z.object({ total: z.number().int() });

async function game(owner: Player, gameId: number) {
  return gameDetails.parse((await call(server.url, owner.browser, "GET", `/api/games/${gameId}`)).body);
}

/** The number in `pattern`'s first group, or a failure that shows the whole output. */
function figure(output: string, pattern: RegExp, group = 1): number {
  const match = pattern.exec(output);
  if (!match?.[group]) throw new Error(`no ${pattern} in:\n${output}`);
  return Number(match[group].replaceAll(",", ""));
}

it("joins 10 tapping bots as guests, shows them in presence, reports what the server confirms, then leaves", async () => {
  const owner = await newPlayer(server.url, "host");
  const { id: gameId } = gameSummary.parse(
    (await call(server.url, owner.browser, "POST", "/api/games", { json: { name: "Crowded" } })).body,
  );
  const { path } = z
    .object({ path: z.string() })
    .parse((await call(server.url, owner.browser, "POST", `/api/games/${gameId}/invite-link`)).body);
  const watching = await playerSocket(server.url, owner);
  socket = watching;
  await subscribeOk(watching, { channels: [`game:${gameId}`] });
  const seen = record(watching);

  const run = crowd(["--url", `${server.url}${path}`, "--players", "10", "--taps", "5", "--duration", "3"]);
  const presenceOf = () => seen.notifications.filter((n) => n.event === "presence");
  await until(() => presenceOf().some((n) => bots(n) === 10), "all ten bots in presence").catch((error: unknown) => {
    throw new Error(`${String(error)}\n${run.output()}`, { cause: error });
  });
  const playing = await game(owner, gameId);
  expect(playing.members.filter((member) => member.username.startsWith("bot-"))).toHaveLength(10);

  expect(await within(run.exited, "crowd ends after its duration", 30_000)).toBe(0);
  const output = run.output();
  const summary = output.trim().split("\n").at(-1) ?? "";
  expect(summary).toMatch(/10\/10 joined/);
  expect(summary).toMatch(/0 errors/);
  expect(summary).toMatch(/10 left/);
  const acknowledged = figure(summary, /(\d+) batches sent, (\d+) acknowledged/, 2);
  expect(acknowledged).toBeGreaterThan(10);

  // Every accepted batch has an answer time and a projector lag, and every one was shown.
  expect(figure(output, /batch answers p50 [\d.,]+ ms · p99 [\d.,]+ ms \(([\d,]+) answers\)/)).toBe(acknowledged);
  expect(figure(output, /projector lag p50 [\d.,]+ ms · p99 [\d.,]+ ms \(([\d,]+) batches\)/)).toBe(acknowledged);
  expect(output).not.toMatch(/never shown/);
  expect(figure(output, /batch answers p50 ([\d.,]+) ms/)).toBeLessThanOrEqual(
    figure(output, /batch answers p50 [\d.,]+ ms · p99 ([\d.,]+) ms/),
  );
  // Conflated: a room of ten gets every tally at once until it commits more than 40 times a
  // second (the tally's busyAbove), then one a window (10 a second); the bots did receive some.
  const tallies = figure(output, /notifications [\d.]+ per bot per second \(tallies ([\d.]+)/);
  expect(tallies).toBeGreaterThan(0);
  expect(tallies).toBeLessThanOrEqual(50);

  // The exactly-once line agrees with the server and with a socket the crowd does not own.
  const [, total, before, clicks] =
    /exactly once: ok — total ([\d,]+) = ([\d,]+) before \+ ([\d,]+) acknowledged clicks; 10\/10 bots and the observer ended on it/.exec(
      output,
    ) ?? [];
  expect(total, output).toBeDefined();
  const after = await game(owner, gameId);
  expect(after.total).toBe(Number(total?.replaceAll(",", "")));
  expect(Number(before)).toBe(0);
  expect(Number(clicks?.replaceAll(",", ""))).toBe(after.total);
  const tallied = seen.notifications.filter((n) => n.event === "tally").map((n) => tallyTotal.parse(n.payload).total);
  expect(Math.max(...tallied)).toBe(after.total);
  expect(tallied.length).toBeLessThanOrEqual(acknowledged);

  // They left: only the owner is a member, presence drops them, and their clicks stay counted.
  expect(after.members.map((member) => member.username)).toEqual([owner.username]);
  const full = presenceOf().findIndex((n) => bots(n) === 10);
  await until(
    () =>
      presenceOf()
        .slice(full)
        .some((n) => bots(n) === 0),
    "the bots leave presence",
  );
}, 60_000);

it("leaves cleanly on Ctrl-C (SIGINT) long before the duration ends", async () => {
  const owner = await newPlayer(server.url, "host");
  const { id: gameId } = gameSummary.parse(
    (await call(server.url, owner.browser, "POST", "/api/games", { json: { name: "Interrupted" } })).body,
  );
  const { path } = z
    .object({ path: z.string() })
    .parse((await call(server.url, owner.browser, "POST", `/api/games/${gameId}/invite-link`)).body);
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "scripts/crowd.ts", "--url", `${server.url}${path}`, "--players", "3", "--duration", "600"],
    { stdio: "ignore" },
  );
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  await until(async () => (await game(owner, gameId)).members.length === 4, "three bots joined");
  child.kill("SIGINT");
  expect(await within(exited, "crowd exits after Ctrl-C", 20_000)).toBe(0);
  expect((await game(owner, gameId)).members.map((member) => member.username)).toEqual([owner.username]);
}, 40_000);

it("refuses to send a crowd to another machine without --yes, and --rate with --taps", async () => {
  const run = crowd(["--url", "http://clickbus.example/join/AAAAAAAAAAAAAAAAAAAAAAAA", "--players", "1"]);
  expect(await within(run.exited, "crowd refuses", 20_000)).toBe(2);
  expect(run.output()).toMatch(/refusing to send a crowd to clickbus\.example/);
  const both = crowd(["--url", "http://localhost:3000/join/AAAAAAAAAAAAAAAAAAAAAAAA", "--rate", "2", "--taps", "6"]);
  expect(await within(both.exited, "crowd refuses", 20_000)).toBe(2);
  expect(both.output()).toMatch(/--rate and --taps: give one of them/);
}, 30_000);
