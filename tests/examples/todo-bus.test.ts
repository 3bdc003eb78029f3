// The bus in a second app (examples/todo-bus): its own channel kind, its own authenticate, string
// user ids, and nothing of Clickbus's game or auth, on a real server and a scratch SQLite file.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";

const ackSchema = z.object({
  granted: z.array(z.string()),
  denied: z.array(z.string()),
  last: z.number(),
  notifications: z
    .array(z.object({ id: z.number(), channel: z.string(), event: z.string(), payload: z.unknown() }))
    .optional(),
});
const presenceSchema = z.object({ players: z.array(z.object({ id: z.string(), username: z.string() })).optional() });

let app: { url: string; close: () => Promise<void> };
const sockets: Socket[] = [];

beforeAll(async () => {
  process.env.DATABASE_PATH = join(mkdtempSync(join(tmpdir(), "clickbus-todo-")), "todo.db");
  process.env.LOG_LEVEL = "silent";
  const { migrateDatabase } = await import("@/db/client");
  await migrateDatabase();
  const { startTodoApp } = await import("@/examples/todo-bus/todo-app");
  app = await startTodoApp();
});

afterAll(async () => {
  sockets.forEach((socket) => socket.disconnect());
  await app?.close();
});

/** A socket of `name` (undefined: no name at all), connected or refused. */
function person(name: string | undefined): Promise<{ socket: Socket; refused?: string }> {
  const socket = io(app.url, { path: "/socket.io", transports: ["websocket"], auth: name ? { name } : {} });
  sockets.push(socket);
  return new Promise((resolve) => {
    socket.once("connect", () => resolve({ socket }));
    socket.once("connect_error", (error) => resolve({ socket, refused: error.message }));
  });
}

async function subscribe(socket: Socket, payload: object): Promise<z.infer<typeof ackSchema>> {
  return ackSchema.parse(await socket.timeout(5000).emitWithAck("subscribe", payload));
}

function addItem(name: string, list: string, text: string): Promise<Response> {
  return fetch(`${app.url}/lists/${list}/items`, {
    method: "POST",
    headers: { "x-person": name, "content-type": "application/json" },
    body: JSON.stringify({ text }),
  });
}

function nextEvent(socket: Socket, event: string): Promise<unknown> {
  return new Promise((resolve) => {
    const listener = (notification: { event: string; payload: unknown }) => {
      if (notification.event !== event) return;
      socket.off("notification", listener);
      resolve(notification.payload);
    };
    socket.on("notification", listener);
  });
}

describe("a to-do app on the bus", () => {
  it("lets a member follow a list live and replay it after a reconnect, and refuses everyone else", async () => {
    const { socket: ann } = await person("ann");
    const joined = await subscribe(ann, { channels: ["list:groceries", "list:secret"], last: 0 });
    expect(joined.granted.sort()).toEqual(["list:groceries", "list:secret"]);

    const live = nextEvent(ann, "item_added");
    expect((await addItem("bob", "groceries", "milk")).status).toBe(201);
    expect(await live).toEqual({ text: "milk", by: "bob" });

    // Bob is no member of `secret`: his subscribe and his POST are refused alike.
    const { socket: bob } = await person("bob");
    expect(await subscribe(bob, { channels: ["list:secret", "list:nowhere"] })).toMatchObject({
      granted: [],
      denied: ["list:secret", "list:nowhere"],
    });
    expect((await addItem("bob", "secret", "a surprise")).status).toBe(403);

    // A new socket of Ann's, from before the milk: the ack replays it.
    const { socket: annAgain } = await person("ann");
    const replayed = await subscribe(annAgain, { channels: ["list:groceries"], last: joined.last });
    expect(replayed.notifications?.map((n) => [n.event, n.payload])).toEqual([
      ["item_added", { text: "milk", by: "bob" }],
    ]);

    expect((await person(undefined)).refused).toBe("unauthorized");
    expect((await person("Robert'); DROP")).refused).toBe("unauthorized");
  });

  it("names people in presence by the app's own string ids", async () => {
    const { socket: ann } = await person("ann");
    const { socket: bob } = await person("bob");
    await subscribe(ann, { channels: ["list:groceries"] });
    const seen = new Promise<string[]>((resolve) => {
      ann.on("notification", (notification: { event: string; payload: unknown }) => {
        if (notification.event !== "presence") return;
        const ids = (presenceSchema.parse(notification.payload).players ?? []).map((player) => player.id).sort();
        if (ids.includes("bob")) resolve(ids);
      });
    });
    await subscribe(bob, { channels: ["list:groceries"] });
    expect(await seen).toEqual(["ann", "bob"]);
  });
});
