// One-time sign-in tickets: the request that created an account (a guest has no password; a
// sign-up has just hashed its own) hands Auth.js a ticket for its "ticket" Credentials provider,
// and Auth.js makes the session as for any sign-in. Issued and redeemed within that one request,
// so they live in memory.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { processSingleton } from "@/lib/runtime/process-singleton";
import type { SessionUser } from "./users";

const TICKET_TTL_MS = 60_000;
const ticketSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

type Issued = { user: SessionUser; expires: number };
declare module "@/lib/runtime/process-singleton" {
  interface ProcessSingletons {
    "sign-in-tickets": Map<string, Issued>;
  }
}
const issued = () => processSingleton("sign-in-tickets", () => new Map<string, Issued>());

export function issueSignInTicket(user: SessionUser, now = Date.now()): string {
  const tickets = issued();
  for (const [ticket, entry] of tickets) if (entry.expires <= now) tickets.delete(ticket);
  const ticket = randomBytes(32).toString("base64url");
  tickets.set(ticket, { user, expires: now + TICKET_TTL_MS });
  return ticket;
}

/** The ticket's user, once: a second redemption, an expired or an unknown ticket gives null. */
export function redeemSignInTicket(input: unknown, now = Date.now()): SessionUser | null {
  const parsed = ticketSchema.safeParse(input);
  if (!parsed.success) return null;
  const tickets = issued();
  const entry = tickets.get(parsed.data);
  tickets.delete(parsed.data);
  return entry && entry.expires > now ? entry.user : null;
}
