// Whose socket a bus uses: worker names carry the user and session epoch, and a BusClient made
// for one user never subscribes anything on a socket that turns out to be someone else's.
import { expect, it } from "vitest";
import { identityKey, parseWorkerName, workerName } from "@/lib/bus/client/identity";
import type { SessionEnd } from "@/lib/bus/client/types";
import { until } from "../../support/bus-harness";
import { scriptedServerForFile } from "./scripted-server";

const file = scriptedServerForFile();

it("names one worker per user and session epoch, and reads the identity back from the name", () => {
  const alice = workerName({ personalChannel: "user:1", epoch: 0 });
  expect(
    new Set([
      alice,
      workerName({ personalChannel: "user:2", epoch: 0 }),
      workerName({ personalChannel: "user:1", epoch: 1 }),
    ]).size,
  ).toBe(3);
  expect(parseWorkerName(alice)).toEqual({ personalChannel: "user:1", epoch: 0 });
  for (const foreign of ["clickbus-bus:user:1", "clickbus-bus:lobby:e0", `${alice}:extra`, "other:user:1:e0"])
    expect(parseWorkerName(foreign)).toBeNull();
  expect(identityKey(null)).not.toBe(identityKey({ personalChannel: "user:1", epoch: 0 }));
});

it("proves the socket is the page's user before subscribing anything else", async () => {
  const bus = file.bus({ personalChannel: "user:7" });
  bus.listen("game:1", { onNotification: () => undefined });
  expect((await file.server.nthSubscribe(1)).channels).toEqual(["user:7"]);
  expect((await file.server.nthSubscribe(2)).channels).toEqual(["game:1"]);
});

it("ends the session, subscribing nothing, on a socket that belongs to another user", async () => {
  file.server.play((request, ack) => ack({ granted: [], denied: request.channels, last: 10 }));
  const ended: SessionEnd[] = [];
  const bus = file.bus({ personalChannel: "user:7", onSessionEnded: (reason) => ended.push(reason) });
  bus.listen("game:1", { onNotification: () => undefined });
  await until(() => ended.length === 1, "session ended");
  expect(ended).toEqual(["other_user"]);
  expect(file.server.subscribes.map((request) => request.channels)).toEqual([["user:7"]]);
});

it("ends the session when the server signs the user out everywhere", async () => {
  const ended: SessionEnd[] = [];
  file.bus({ personalChannel: "user:7", onSessionEnded: (reason) => ended.push(reason) });
  const { socket } = await file.server.nthSubscribe(1);
  socket.emit("revoked", { channel: "user:7", reason: "signed_out" });
  await until(() => ended.length === 1, "session ended");
  expect(ended).toEqual(["signed_out"]);
});
