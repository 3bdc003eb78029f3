// What the wire protocol (docs/protocol.md#error-codes) allows as the answer to one fuzzed emit: a
// documented error code, a well-formed subscribe or unsubscribe ack, or the server cutting the
// socket for input that is malformed on the wire or oversized; never silence while connected.
import { z } from "zod";
import { MAX_FRAME_BYTES } from "@/lib/bus/protocol";
import { errorAck, subscribeAck, unsubscribeAck } from "../support/wire";
import type { Outcome } from "./socket-prober";
import type { SocketInput } from "./socket-inputs";

type Emit = Extract<SocketInput, { kind: "emit" }>;

const requested = z.object({ channels: z.array(z.unknown()) });

/** Why `outcome` is not an allowed answer to `input`, or null when it is. */
export function problemWith(input: Emit, outcome: Outcome): string | null {
  if (outcome.kind === "silent") return "no answer and no disconnect within 5 s";
  if (outcome.kind === "disconnected")
    return outcome.earlierMayExplain || mayBeCut(input.args)
      ? null
      : `${input.event} cut the socket (${outcome.reason}), though it is neither malformed nor oversized`;
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

const isBinary = (value: unknown): value is Uint8Array => value instanceof Uint8Array;

/** Every value inside `root`, itself included, with its key's bytes; iterative, as inputs nest thousands deep. */
function* nodesOf(root: unknown): Generator<{ value: unknown; keyBytes: number }> {
  const stack: { value: unknown; keyBytes: number }[] = [{ value: root, keyBytes: 0 }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    yield next;
    const { value } = next;
    if (typeof value !== "object" || value === null || isBinary(value)) continue;
    for (const [key, item] of Object.entries(value))
      stack.push({ value: item, keyBytes: Array.isArray(value) ? 1 : Buffer.byteLength(JSON.stringify(key)) + 2 });
  }
}

/** Bytes `value` takes on the wire, about: JSON text, binary attachments at their length. */
function wireSize(value: unknown): number {
  let bytes = 0;
  for (const node of nodesOf(value)) {
    bytes += node.keyBytes;
    if (isBinary(node.value)) bytes += node.value.byteLength;
    else if (typeof node.value === "object" && node.value !== null) bytes += 2;
    else bytes += Buffer.byteLength(JSON.stringify(node.value) ?? "null");
  }
  return bytes;
}

const holds = (value: unknown, found: (node: unknown) => boolean): boolean =>
  [...nodesOf(value)].some((node) => found(node.value));

/**
 * Whether the server may cut the socket for these arguments: a frame past the limit (the
 * estimate keeps a margin for the packet's framing), or binary beside a forged attachment
 * placeholder (`{ _placeholder: … }`), which Socket.IO's parser refuses as a broken packet.
 */
export function mayBeCut(args: unknown[]): boolean {
  if (wireSize(args) > MAX_FRAME_BYTES - 1024) return true;
  const binary = holds(args, isBinary);
  const placeholder = holds(args, (node) => typeof node === "object" && node !== null && "_placeholder" in node);
  return binary && placeholder;
}
