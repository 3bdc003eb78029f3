// A second app on the bus, with nothing of Clickbus's game or auth: a shared to-do list. People
// are who their socket's `auth.name` (or the `x-person` header of a POST) says, which is fine for
// an example and nothing else; adding an item stores it and announces it on `list:<id>` in one
// transaction (transact), so a member sees it live or replays it after a reconnect.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { z } from "zod";
import { database } from "@/db/client";
import { attachBus } from "@/lib/bus/attach";
import type { Authenticate } from "@/lib/bus/bus-user";
import { transact } from "@/lib/bus/transact";
import { listMembers, todoChannels, type Person } from "./kinds";

const personName = z.string().regex(/^[a-z]{1,32}$/);
const newItem = z.object({ text: z.string().min(1).max(200) });

/** The example's stand-in for sessions: a name in the handshake. */
const authenticate: Authenticate<Person> = async ({ auth }) => {
  const name = personName.safeParse(z.object({ name: z.unknown() }).safeParse(auth).data?.name);
  if (!name.success) return null;
  // A real app keeps the session's expiry here; the example's "sessions" last a day.
  return {
    user: { id: name.data, username: name.data },
    credential: { kind: "session", expiresAt: Date.now() + 86_400_000 },
  };
};

export const items = new Map<string, string[]>();

/** POST /lists/:id/items {text}: 201, or 403 for a non-member (and for a list that does not exist). */
async function addItem(request: IncomingMessage, response: ServerResponse, listId: string): Promise<void> {
  const person = personName.safeParse(request.headers["x-person"]);
  let body = "";
  for await (const chunk of request) body += String(chunk);
  const item = newItem.safeParse(parseJson(body));
  if (!person.success || listMembers.get(listId)?.has(person.data) !== true) return void response.writeHead(403).end();
  if (!item.success) return void response.writeHead(400).end();
  await transact(async ({ announce }) => {
    items.set(listId, [...(items.get(listId) ?? []), item.data.text]);
    announce(`list:${listId}`, "item_added", { text: item.data.text, by: person.data });
  });
  response.writeHead(201).end();
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Starts the example on a free port; the bus stores in whichever database db/client opens. */
export async function startTodoApp(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((request, response) => {
    const match = /^\/lists\/([a-z]{1,32})\/items$/.exec(request.url ?? "");
    if (request.method !== "POST" || !match?.[1]) return void response.writeHead(404).end();
    addItem(request, response, match[1]).catch(() => response.writeHead(500).end());
  });
  const bus = attachBus(server, { allowedOrigins: [], authenticate, database, channels: todoChannels });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the to-do app is not listening on a port");
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: async () => {
      await bus.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
