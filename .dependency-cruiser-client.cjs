// Browser code never reaches server code: what lib/*/client/ imports at run time (type imports are
// erased, so this cruise leaves them out) must not lead, however indirectly, to the database, the
// env, the logger or the Socket.IO server. `npm run lint:layers` runs it after the layer rules.
// (The `server-only` package would say the same per module, but it throws in server.ts's plain
// Node process, which has no react-server condition.)
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  // The layer rules come along (they hold for run-time imports too); the options are the same
  // but for type imports.
  extends: "./.dependency-cruiser.cjs",
  forbidden: [
    {
      name: "client-code-stays-client",
      comment: "A client bundle must never include the database, the env, the logger or the Socket.IO server.",
      severity: "error",
      from: { path: "^lib/[a-z]+/client/" },
      to: { path: "^(db/|lib/config/|lib/log\\.ts$|lib/bus/(io|attach|transact|store)\\.ts$)", reachable: true },
    },
  ],
  options: { tsPreCompilationDeps: false },
};
