// Integration: a node whose password-hash queue is full says so. With PASSWORD_HASH_QUEUE=0 a
// burst of sign-ins (or sign-ups) fills the node's 2 hash slots and the rest are refused at once:
// the form says "busy, try again", never "wrong username or password" or "could not create"; a
// sign-up said busy made no account, and one that made its account is signed in.
import { afterAll, beforeAll, expect, it } from "vitest";
import { z } from "zod";
import { startTestServer, type TestServer } from "../support/server";
import { storedRows } from "../support/stored-rows";
import { actionCaller, form, valueOf, type ActionCaller } from "./action-client";

const BUSY = "The server is busy; try again in a moment.";
const WRONG = "Wrong username or password.";
const BURST = 8;

let server: TestServer;
let auth: ActionCaller;

beforeAll(async () => {
  // The production cost: a hash must last long enough for the others to find both slots taken.
  server = await startTestServer({ PASSWORD_HASH_QUEUE: "0", PASSWORD_SCRYPT_COST: "17" });
  auth = actionCaller(server.url, "app/actions/auth.ts");
});
afterAll(() => server?.stop());

const formMessage = z.object({ message: z.string() });

async function signInMessage(username: string): Promise<string> {
  const answer = await auth("signInAction", [{}, form({ username, password: "wrong-password-guess" })], {
    page: "/sign-in",
  });
  return valueOf(answer, formMessage).message;
}

it("answers a sign-in refused by a full hash queue with 'busy', the others with 'wrong password'", async () => {
  // Unknown names: each is still checked against the decoy hash, so each takes a hash slot.
  const messages = await Promise.all(Array.from({ length: BURST }, (_, index) => signInMessage(`nobody${index}`)));
  expect(messages.filter((message) => message === BUSY).length).toBeGreaterThan(0);
  expect(messages.filter((message) => message === WRONG).length).toBeGreaterThan(0);
  expect(messages.filter((message) => message !== BUSY && message !== WRONG)).toEqual([]);
  // Once the burst is over, a sign-in gets its slot again.
  expect(await signInMessage("nobody")).toBe(WRONG);
});

it("answers a sign-up refused by a full hash queue with 'busy' and no account, and signs the others in without a second hash", async () => {
  const names = Array.from({ length: BURST }, (_, index) => `busy${index}`);
  const answers = await Promise.all(
    names.map((username) =>
      auth("signUpAction", [{}, form({ username, password: "correct-horse-battery" })], { page: "/sign-up" }),
    ),
  );
  // A sign-up hashes its password once: refused at that hash it says busy and made nothing;
  // past it, the account exists and signs in with a ticket, which no full queue can refuse.
  const busy = answers.flatMap((answer, index) =>
    answer.outcome.kind === "redirect"
      ? []
      : [{ username: names[index], message: valueOf(answer, formMessage).message }],
  );
  expect(busy.length).toBeGreaterThan(0);
  expect(busy.filter(({ message }) => message !== BUSY)).toEqual([]);
  // Auth.js redirects only once it has set the session: to the lobby, the form's default target.
  const redirects = answers.flatMap((answer) =>
    answer.outcome.kind === "redirect" ? [new URL(answer.outcome.location, server.url).pathname] : [],
  );
  expect(redirects.length).toBe(BURST - busy.length);
  expect(new Set(redirects)).toEqual(new Set(["/"]));
  const created = (await storedRows(server.database, `select username from users where username like 'busy%'`)).map(
    (row) => row.username,
  );
  expect(created.sort()).toEqual(names.filter((name) => !busy.some((refused) => refused.username === name)).sort());
  // Also matches "sign-in after sign-up failed".
  expect(server.output()).not.toMatch(/sign-up failed/);
});
