// The layers of Clickbus and what each may import (docs/architecture.md draws them). Run by
// `npm run lint:layers`, which `npm run lint` (and so `npm test`) runs. A higher layer may import
// a lower one, never the reverse. Known violations would be listed in
// .dependency-cruiser-known-violations.json (`npx depcruise-baseline`); there are none, keep it so.
//
//   app/                       routes and UI
//   server.ts, lib/server/     the node: HTTP, Socket.IO, start-up
//   lib/api/                   the HTTP API's route handlers
//   lib/games/                 the game's domain
//   lib/realtime/              where the app meets the bus: authenticate, the user channel, sign-out
//   lib/auth/, lib/bus/        who a user is; the record-scoped bus (neither imports the other)
//   db/                        schema, migrations, the client
//   lib/runtime/, lib/config/, lib/sql/, lib/log.ts   what every layer may use

/** Paths of a layer, as a regular expression for dependency-cruiser. */
const layers = {
  app: "^app/",
  server: "^(server\\.ts$|lib/server/)",
  api: "^lib/api/",
  games: "^lib/games/",
  realtime: "^lib/realtime/",
  auth: "^lib/auth/",
  bus: "^lib/bus/",
  db: "^db/",
};

/** A rule that modules of `from` import nothing of `to`. */
const forbid = (name, from, to, comment) => ({
  name,
  comment,
  severity: "error",
  from: { path: from },
  to: { path: to },
});

const below = (...names) => names.map((name) => layers[name]).join("|");

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      comment: "A cycle between our modules makes their layers meaningless.",
      severity: "error",
      from: { pathNot: "^node_modules" },
      to: { circular: true, pathNot: "^node_modules" },
    },
    forbid("nothing-imports-app", "^(lib|db|scripts)/|^server\\.ts$", layers.app, "app/ is the top: routes and UI."),
    forbid(
      "server-is-above-the-domain",
      below("api", "games", "realtime", "auth", "bus", "db"),
      layers.server,
      "lib/server starts the node; the domain must not know it.",
    ),
    forbid(
      "api-is-above-the-domain",
      below("games", "realtime", "auth", "bus", "db"),
      layers.api,
      "lib/api calls the domain.",
    ),
    forbid(
      "games-is-above-auth-and-bus",
      below("realtime", "auth", "bus", "db"),
      layers.games,
      "The bus and auth know no game: games declare channel kinds and register them.",
    ),
    forbid(
      "realtime-is-above-auth-and-bus",
      below("auth", "bus", "db"),
      layers.realtime,
      "lib/realtime wires auth to the bus; neither may depend on the wiring.",
    ),
    forbid("bus-knows-no-auth", layers.bus, layers.auth, "The app passes the bus how a handshake becomes a user."),
    forbid(
      "bus-is-handed-its-database",
      layers.bus,
      layers.db,
      "The app passes the bus its database (attachBus's `database`, transactOn); the bus owns its tables.",
    ),
    forbid("auth-knows-no-bus", layers.auth, layers.bus, "Sign-out and revocation are wired to the bus by the app."),
    forbid("db-is-below-auth-and-bus", layers.db, below("auth", "bus"), "db/ holds data, not behaviour."),
    forbid(
      "foundation-is-the-bottom",
      "^lib/(runtime|config|sql)/|^lib/log\\.ts$",
      below("app", "server", "api", "games", "realtime", "auth", "bus", "db"),
      "lib/runtime, lib/config, lib/sql and lib/log are what every layer may use: they import none of them.",
    ),
    forbid(
      "examples-use-only-the-bus",
      "^examples/",
      `${layers.app}|${layers.server}|${layers.api}|${layers.games}|${layers.realtime}|${layers.auth}`,
      "An example app proves the bus stands alone: it may use lib/bus, db/ and the foundation only.",
    ),
    forbid(
      "pages-never-read-the-database",
      layers.app,
      layers.db,
      "Pages call lib/ functions; only lib/ reads the database.",
    ),
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|\\.next|tests|db/migrations|db/migrations-pg)/" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
  },
};
