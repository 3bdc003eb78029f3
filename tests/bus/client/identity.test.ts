// Whose socket a bus uses: worker names carry the user and session epoch, and a BusClient made
// for one user never subscribes anything on a socket that turns out to be someone else's.
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { BusClient } from "@/lib/bus/client/bus-client";
import { identityKey, parseWorkerName, workerName } from "@/lib/bus/client/identity";
import type { SessionEnd } from "@/lib/bus/client/types";
import { until } from "../../support/bus-harness";
import { startScriptedServer, type ScriptedServer } from "./scripted-server";

let server: ScriptedServer;
let bus: BusClient | undefined;

beforeAll(async () => {
  server = await startScriptedServer();
});
afterEach(() => {
  bus?.close();
  bus = undefined;
  server.reset();
});
afterAll(() => server.close());

it("names one worker per user and session epoch, and reads the identity back from the name", () => {
  const alice = workerName({ userId: 1, epoch: 0 });
  expect(new Set([alice, workerName({ userId: 2, epoch: 0 }), workerName({ userId: 1, epoch: 1 })]).size).toBe(3);
  expect(parseWorkerName(alice)).toEqual({ userId: 1, epoch: 0 });
  expect(parseWorkerName("clickbus-bus:u1")).toBeNull();
  expect(parseWorkerName(`${alice}:extra`)).toBeNull();
  expect(identityKey(null)).not.toBe(identityKey({ userId: 1, epoch: 0 }));
});

it("proves the socket is the page's user before subscribing anything else", async () => {
  bus = new BusClient(server.connect(), { userId: 7 });
  bus.listen("game:1", { onNotification: () => undefined });
  expect((await server.nthSubscribe(1)).channels).toEqual(["user:7"]);
  expect((await server.nthSubscribe(2)).channels).toEqual(["game:1"]);
});

it("ends the session, subscribing nothing, on a socket that belongs to another user", async () => {
  server.play((request, ack) => ack({ granted: [], denied: request.channels, last: 10 }));
  const ended: SessionEnd[] = [];
  bus = new BusClient(server.connect(), { userId: 7, onSessionEnded: (reason) => ended.push(reason) });
  bus.listen("game:1", { onNotification: () => undefined });
  await until(() => ended.length === 1, "session ended");
  expect(ended).toEqual(["other_user"]);
  expect(server.subscribes.map((request) => request.channels)).toEqual([["user:7"]]);
});

it("ends the session when the server signs the user out everywhere", async () => {
  const ended: SessionEnd[] = [];
  bus = new BusClient(server.connect(), { userId: 7, onSessionEnded: (reason) => ended.push(reason) });
  const { socket } = await server.nthSubscribe(1);
  socket.emit("revoked", { channel: "user:7", reason: "signed_out" });
  await until(() => ended.length === 1, "session ended");
  expect(ended).toEqual(["signed_out"]);
});
