// Integration: a node whose password-hash queue is full says so. With PASSWORD_HASH_QUEUE=0 a
// burst of sign-ins (or sign-ups) fills the node's 2 hash slots and the rest are refused at once:
// the form says "busy, try again", never "wrong username or password" or "could not create".
import { afterAll, beforeAll, expect, it } from "vitest";
import { z } from "zod";
import { startTestServer, type TestServer } from "../support/server";
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

it("answers a sign-up refused by a full hash queue with 'busy'", async () => {
  const answers = await Promise.all(
    Array.from({ length: BURST }, (_, index) =>
      auth("signUpAction", [{}, form({ username: `busy${index}`, password: "correct-horse-battery" })], {
        page: "/sign-up",
      }),
    ),
  );
  // A sign-up either signs in (a redirect) or, refused at its hash or its sign-in, says busy.
  const messages = answers.flatMap((answer) =>
    answer.outcome.kind === "redirect" ? [] : [valueOf(answer, formMessage).message],
  );
  expect(messages.length).toBeGreaterThan(0);
  expect(messages.filter((message) => message !== BUSY)).toEqual([]);
  expect(server.output()).not.toMatch(/sign-up failed/);
});
