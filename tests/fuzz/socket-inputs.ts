// What the socket fuzz sends: Socket.IO events through the client (known and unknown names,
// any arity, with or without an ack, shaped like subscribe/unsubscribe or not), and raw
// Socket.IO packets written straight to the connection (bad types, ids, namespaces, attachments).
import fc from "fast-check";
import { anyValue, channelName, oddNumber, oddString } from "./fuzz-values";

export type SocketInput =
  { kind: "emit"; event: string; args: unknown[]; ack: boolean } | { kind: "raw"; packet: string };

/** Names the client may emit (it refuses its reserved ones, which the raw packets cover). */
const eventName = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("subscribe", "unsubscribe") },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "Subscribe",
      "subscribe ",
      "notification",
      "revoked",
      "error",
      "relinked",
      "nodesDied",
      "__proto__",
      "constructor",
      "toString",
      "hasOwnProperty",
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .string({ maxLength: 30 })
      .filter(
        (name) =>
          !["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"].includes(name),
      ),
  },
);

/** Payloads shaped like a subscribe or unsubscribe, with every field bent. */
const protocolPayload = (ids: readonly number[]) =>
  fc.record(
    {
      channels: fc.oneof(
        { weight: 5, arbitrary: fc.array(channelName(ids), { maxLength: 8 }) },
        { weight: 1, arbitrary: fc.array(channelName(ids), { minLength: 95, maxLength: 110 }) },
        { weight: 1, arbitrary: anyValue(ids) },
      ),
      last: fc.oneof(oddNumber, fc.nat(5000), anyValue(ids)),
      presence: fc.oneof(fc.boolean(), anyValue(ids)),
      extra: anyValue(ids),
    },
    { requiredKeys: [] },
  );

/** A subscribe or unsubscribe the server accepts, so inputs also reach grants, replay and presence. */
const wellFormedPayload = (ids: readonly number[]) =>
  fc.record(
    {
      channels: fc.array(
        fc.oneof(
          fc.constantFrom("lobby", "game:987654321"),
          fc.constantFrom(...ids).map((id) => `game:${id}`),
          fc.constantFrom(...ids).map((id) => `user:${id}`),
        ),
        { maxLength: 4 },
      ),
      last: fc.oneof(fc.nat(50), fc.constant(Number.MAX_SAFE_INTEGER)),
      presence: fc.boolean(),
    },
    { requiredKeys: ["channels"] },
  );

const emitInput = (ids: readonly number[]): fc.Arbitrary<SocketInput> =>
  fc.record({
    kind: fc.constant("emit" as const),
    event: eventName,
    args: fc.oneof(
      { weight: 3, arbitrary: fc.tuple(wellFormedPayload(ids)) },
      { weight: 6, arbitrary: fc.tuple(fc.oneof(protocolPayload(ids), anyValue(ids))) },
      { weight: 1, arbitrary: fc.array(anyValue(ids), { maxLength: 4 }) },
    ),
    ack: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  });

/**
 * Socket.IO v5 packet text: `<type>[<attachments>-][<nsp>,][<ack id>][<json>]`, bent. Ack ids are
 * far above the client's own counter, so a server answer to a raw packet cannot be taken for
 * the answer to a later emit.
 */
const rawInput: fc.Arbitrary<SocketInput> = fc
  .oneof(
    fc
      .tuple(
        fc.constantFrom("0", "1", "2", "3", "4", "5", "6", "7", "9", ""),
        fc.constantFrom("", "1-", "2-", "99-", "-1-"),
        fc.constantFrom("", "/", "/admin,", "/socket.io,"),
        fc.constantFrom("", "1000001", "99999999999999999999"),
        fc.jsonValue().map((value) => JSON.stringify(value)),
      )
      .map((parts) => parts.join("")),
    fc.constantFrom(
      '2["subscribe"]',
      '21000001["subscribe",{"channels":["lobby"]}]',
      '21000002["connect",{}]',
      '21000003["disconnect"]',
      '21000004["disconnecting"]',
      '21000005["newListener","subscribe"]',
      '51-["subscribe",{"_placeholder":true,"num":0}]',
      '51-1000006["subscribe",{"_placeholder":true,"num":"__proto__"}]',
      '51-1000007["subscribe",{"_placeholder":true,"num":1e9}]',
      '3[{"granted":["lobby"]}]',
      "31[]",
      '0/admin,{"token":"x"}',
      "1/nope,",
      '4"boom"',
      "2[",
      `21000008["subscribe",${"[".repeat(5000)}${"]".repeat(5000)}]`,
    ),
    oddString,
  )
  .map((packet) => ({ kind: "raw" as const, packet }));

export const socketInput = (ids: readonly number[]): fc.Arbitrary<SocketInput> =>
  fc.oneof({ weight: 5, arbitrary: emitInput(ids) }, { weight: 1, arbitrary: rawInput });
