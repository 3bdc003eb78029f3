// What the HTTP fuzz sends: a method, a path under /api built from the API's routes with ids that
// are the world's own, foreign, missing or malformed, bent a little (slashes, encodings, queries),
// a caller (cookie, token, both, forged, none) with an Origin, and a body. Most inputs are a valid
// request for their route with one or two things bent, so they get past the body checks to the
// game's own rules; records are named symbolically and resolved against the world when sent.
import fc from "fast-check";
import { anyValue, binary, oddNumber, oddString } from "./fuzz-values";

/** A record the path names: one of the world's, someone else's, a missing one, or a bad spelling. */
export type Ref = { of: "main" | "foreign" | "missing" } | { literal: string };
export type Caller = "owner" | "member" | "outsider" | "anonymous" | "forged";
export type Credential = "cookie" | "bearer" | "both" | "bad-bearer";
export type OriginChoice = "same" | "foreign" | "none" | "null" | "garbage";
export type Body = { json: unknown } | { text: string } | { bytes: Buffer } | { none: true };

export type HttpInput = {
  method: string;
  route: string;
  refs: Ref[];
  /** Appended to the path: a trailing slash, a query, an extra segment. */
  suffix: string;
  caller: Caller;
  credential: Credential;
  origin: OriginChoice;
  contentType: string | null;
  body: Body;
};

/** The usernames a valid body may name (the world's players), besides random ones. */
export type Names = { usernames: readonly string[] };

type Route = { path: string; methods: readonly string[]; body?: (names: Names) => fc.Arbitrary<unknown> };

const word = fc.stringMatching(/^[a-z][a-z0-9_]{2,15}$/);
const username = (names: Names) => fc.oneof(fc.constantFrom(...names.usernames), word);

/** Each route with a `:ref` per record it names, its methods, and a valid body when it takes one. */
const ROUTES: readonly Route[] = [
  { path: "/api/health", methods: ["GET"] },
  {
    path: "/api/users",
    methods: ["POST"],
    body: (names) => fc.record({ username: username(names), password: fc.constant("correct-horse-battery") }),
  },
  {
    path: "/api/games",
    methods: ["GET", "POST"],
    body: () => fc.record({ name: fc.constantFrom("Fuzzed", "  padded  ", "x".repeat(60)) }),
  },
  {
    path: "/api/games/:ref",
    methods: ["GET", "PATCH", "DELETE"],
    body: () => fc.record({ name: fc.constantFrom("Renamed", "x".repeat(60)) }),
  },
  {
    path: "/api/games/:ref/clicks",
    methods: ["POST"],
    body: () =>
      fc.record({ count: fc.integer({ min: 1, max: 500 }), batchId: fc.stringMatching(/^[A-Za-z0-9_-]{8,64}$/) }),
  },
  { path: "/api/games/:ref/members", methods: ["POST"], body: (names) => fc.record({ username: username(names) }) },
  { path: "/api/games/:ref/members/:ref", methods: ["DELETE"] },
  // A valid round lasts long past the run: a round ending in the background would be a write
  // during some other, refused input.
  {
    path: "/api/games/:ref/rounds",
    methods: ["GET", "POST"],
    body: () => fc.record({ seconds: fc.integer({ min: 550, max: 600 }) }),
  },
  { path: "/api/games/:ref/rounds/:ref/end", methods: ["POST"] },
  { path: "/api/games/:ref/invite-link", methods: ["POST", "DELETE"] },
  { path: "/api/invites/:ref/guests", methods: ["POST"], body: () => fc.record({ nickname: word }) },
  {
    path: "/api/tokens",
    methods: ["GET", "POST"],
    body: () => fc.record({ name: fc.constantFrom("script", "x".repeat(64)) }),
  },
  { path: "/api/tokens/:ref", methods: ["DELETE"] },
  { path: "/api/auth/csrf", methods: ["GET"] },
  { path: "/api/auth/session", methods: ["GET"] },
  { path: "/api/auth/providers", methods: ["GET"] },
  { path: "/api/auth/signout", methods: ["POST"] },
  { path: "/api/auth/callback/credentials", methods: ["POST"] },
  { path: "/api/auth/:ref", methods: ["GET", "POST"] },
  { path: "/api/:ref", methods: ["GET"] },
  { path: "/api/games/:ref/:ref", methods: ["GET", "POST"] },
];

const badSegment = fc.constantFrom(
  "0",
  "01",
  "-1",
  "1e3",
  "0x10",
  "1.0",
  " 1",
  "%31",
  "%2e%2e",
  "..",
  "%00",
  "%ZZ",
  "9".repeat(20),
  "9007199254740993",
  "abc",
  "null",
  "__proto__",
  "constructor",
  "%F0%9F%92%A5",
  "a%2Fb",
);

const ref: fc.Arbitrary<Ref> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom<Ref>({ of: "main" }, { of: "main" }, { of: "foreign" }, { of: "missing" }) },
  { weight: 2, arbitrary: badSegment.map((literal): Ref => ({ literal })) },
  { weight: 1, arbitrary: fc.webSegment().map((literal): Ref => ({ literal })) },
);

const method = (route: Route) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...route.methods) },
    { weight: 2, arbitrary: fc.constantFrom("GET", "POST", "PATCH", "DELETE", "PUT") },
    { weight: 1, arbitrary: fc.constantFrom("HEAD", "OPTIONS", "get", "post", "PROPFIND", "TRACE", "FOO") },
  );

const suffix = fc.oneof(
  { weight: 16, arbitrary: fc.constant("") },
  {
    weight: 1,
    arbitrary: fc.constantFrom("/", "//", "?", "?a=1&a=2", "?__proto__[x]=1", "#frag", "/.", "/..", "/%2e"),
  },
  { weight: 1, arbitrary: fc.webQueryParameters().map((query) => `?${query}`) },
);

/** A valid body with one field bent: a value made odd, a field dropped, one added. */
const bent = (valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
  fc
    .tuple(
      valid,
      fc.constantFrom("odd", "drop", "extra"),
      oddNumber,
      oddString,
      fc.constantFrom("gameId", "userId", "ownerId", "total", "__proto__", "role"),
    )
    .map(([body, how, number, text, key]) => {
      if (typeof body !== "object" || body === null) return body;
      const fields: Record<string, unknown> = { ...body };
      const first = Object.keys(fields)[0];
      if (how === "odd" && first !== undefined) fields[first] = typeof fields[first] === "number" ? number : text;
      else if (how === "drop" && first !== undefined) delete fields[first];
      else fields[key] = 1;
      return fields;
    });

const garbage: fc.Arbitrary<Body> = fc.oneof(
  { weight: 2, arbitrary: anyValue([]).map((json): Body => ({ json: json === undefined ? null : json })) },
  {
    weight: 2,
    arbitrary: fc.constantFrom<Body>(
      { none: true },
      { text: "" },
      { text: "{" },
      { text: '{"name":"a"' },
      { text: "name=a" },
      { text: "[]" },
      { text: "null" },
      { text: '"x"' },
      { text: '{"__proto__":{"admin":true},"name":"a"}' },
    ),
  },
  {
    weight: 1,
    arbitrary: binary.map((bytes): Body => ({
      bytes: Buffer.concat([Buffer.from('{"name":"'), bytes, Buffer.from('"}')]),
    })),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 16_000, max: 40_000 })
      .map((size): Body => ({ text: JSON.stringify({ name: "x".repeat(size) }) })),
  },
);

const body = (route: Route, names: Names): fc.Arbitrary<Body> => {
  const valid = route.body?.(names) ?? fc.constant({});
  return fc.oneof(
    { weight: 6, arbitrary: valid.map((json): Body => ({ json })) },
    { weight: 3, arbitrary: bent(valid).map((json): Body => ({ json })) },
    { weight: 2, arbitrary: garbage },
  );
};

const contentType = fc.oneof(
  { weight: 12, arbitrary: fc.constant("application/json") },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      null,
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/json; charset=latin1",
      "application/JSON",
      "*/*",
      "",
    ),
  },
);

export const httpInput = (names: Names): fc.Arbitrary<HttpInput> =>
  fc.constantFrom(...ROUTES).chain((route) =>
    fc.record({
      method: method(route),
      route: fc.constant(route.path),
      refs: fc.array(ref, { minLength: 2, maxLength: 2 }),
      suffix,
      caller: fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom<Caller>("owner", "member") },
        { weight: 2, arbitrary: fc.constantFrom<Caller>("outsider", "anonymous", "forged") },
      ),
      credential: fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom<Credential>("cookie", "bearer") },
        { weight: 1, arbitrary: fc.constantFrom<Credential>("both", "bad-bearer") },
      ),
      origin: fc.oneof(
        { weight: 8, arbitrary: fc.constant<OriginChoice>("same") },
        { weight: 2, arbitrary: fc.constantFrom<OriginChoice>("foreign", "none", "null", "garbage") },
      ),
      contentType,
      body: body(route, names),
    }),
  );
