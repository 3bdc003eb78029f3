// What the wire protocol (docs/protocol.md#error-codes) allows as the answer to one fuzzed emit: a
// documented error code, a well-formed subscribe or unsubscribe ack, or the server cutting the
// socket; never silence while connected.
import { z } from "zod";
import { errorAck, subscribeAck, unsubscribeAck } from "../support/wire";
import type { Outcome } from "./socket-prober";
import type { SocketInput } from "./socket-inputs";

type Emit = Extract<SocketInput, { kind: "emit" }>;

const requested = z.object({ channels: z.array(z.unknown()) });

/** Why `outcome` is not an allowed answer to `input`, or null when it is. */
export function problemWith(input: Emit, outcome: Outcome): string | null {
  if (outcome.kind === "silent") return "no answer and no disconnect within 5 s";
  if (outcome.kind !== "ack") return null;
  const { answer } = outcome;
  const error = errorAck.safeParse(answer);
  if (error.success) {
    const known = input.event === "subscribe" || input.event === "unsubscribe";
    // An unknown event or a wrong arity is invalid_payload, unless the rate limit answers first.
    if ((!known || input.args.length !== 1) && !["invalid_payload", "rate_limited"].includes(error.data.error))
      return `${input.event} with ${input.args.length} arguments answered ${error.data.error}`;
    return null;
  }
  if (z.object({ error: z.unknown() }).safeParse(answer).success)
    return `${input.event} answered an undocumented error: ${JSON.stringify(answer)}`;
  if (input.event === "unsubscribe")
    return unsubscribeAck.safeParse(answer).success ? null : `unsubscribe answered ${JSON.stringify(answer)}`;
  if (input.event !== "subscribe") return `${input.event} answered ${JSON.stringify(answer)}`;
  const ack = subscribeAck.safeParse(answer);
  if (!ack.success) return `subscribe answered a malformed ack: ${z.prettifyError(ack.error)}`;
  const asked = requested.safeParse(input.args[0]);
  const names = new Set(asked.success ? asked.data.channels : []);
  const answered = [...ack.data.granted, ...ack.data.denied];
  if (answered.some((name) => !names.has(name)) || new Set(answered).size !== answered.length)
    return `subscribe answered channels it was not asked for: ${JSON.stringify(ack.data)}`;
  return null;
}
