// The values fuzz inputs are made of: odd numbers, strings from tiny to just past the 16 KiB
// message limit, binary, channel-like names, deep nesting and objects with hostile keys.
import fc from "fast-check";

/** Numbers that trip parsers and range checks: NaN, -0, 2^53, floats, the limits. */
export const oddNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    Number.NaN,
    -0,
    0,
    1,
    -1,
    0.5,
    2 ** 31,
    2 ** 32,
    2 ** 53,
    2 ** 53 + 2,
    -(2 ** 53),
    Number.MAX_SAFE_INTEGER,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    Infinity,
    -Infinity,
    1e308,
    1e-7,
  ),
  fc.integer(),
  fc.double(),
);

/** Strings, a few of them around the 16 KiB message limit. */
export const oddString: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: 15_000, max: 22_000 }).map((length) => "x".repeat(length)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "",
      "\u0000",
      "\ud800",
      "$@1",
      "$K1",
      "__proto__",
      "constructor",
      "%00",
      "../..",
      "null",
      "{}",
      "[]",
    ),
  },
);

/** Channel names, well-formed or nearly so (the grammar's edges: case, zeros, lengths). */
export const channelName = (ids: readonly number[]): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(
      "lobby",
      "lobby:1",
      "game",
      "user",
      "Game:1",
      "game:0",
      "game:01",
      "game:1e3",
      "game:-1",
      "game:",
      ":1",
      "game:1:2",
      `game:${"1".repeat(96)}`,
      `x${"a".repeat(100)}`,
    ),
    fc.constantFrom(1, ...ids).map((id) => `game:${id}`),
    fc.constantFrom(1, ...ids).map((id) => `user:${id}`),
    fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}(:[A-Za-z0-9_-]{1,12})?$/),
    oddString,
  );

/**
 * A value nested `depth` levels in arrays or objects. It describes itself in a failure report
 * (fast-check's printer would recurse as deep), through a symbol key that JSON never sends.
 */
export const deeplyNested = (leaf: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
  fc.tuple(fc.integer({ min: 50, max: 3000 }), fc.boolean(), leaf).map(([depth, arrays, inner]) => {
    let value: object = arrays ? [inner] : { a: inner };
    for (let level = 1; level < depth; level += 1) value = arrays ? [value] : { a: value };
    return Object.assign(value, {
      [fc.toStringMethod]: () => `${arrays ? "[" : "{a:"} × ${depth} around ${fc.stringify(inner)}`,
    });
  });

/** Binary, as socket.io-client sends a Buffer (an attachment) or fetch a body. */
export const binary: fc.Arbitrary<Buffer> = fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes));

/** Any value a client could send: leaves above, in arrays and objects with hostile keys. */
export const anyValue = (ids: readonly number[]): fc.Arbitrary<unknown> => {
  const leaf: fc.Arbitrary<unknown> = fc.oneof(
    oddNumber,
    oddString,
    channelName(ids),
    binary,
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
  );
  const key = fc.oneof(
    fc.constantFrom(
      "channels",
      "last",
      "presence",
      "__proto__",
      "constructor",
      "prototype",
      "toJSON",
      "_placeholder",
      "num",
    ),
    fc.string({ maxLength: 12 }),
  );
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, tie("array"), tie("object")),
    array: fc.array(tie("value"), { maxLength: 5 }),
    object: fc.dictionary(key, tie("value"), { maxKeys: 5 }),
  }));
  return fc.oneof({ weight: 6, arbitrary: value }, { weight: 1, arbitrary: deeplyNested(leaf) });
};
