// The lib modules a bus test reaches through `h.lib`: loaded by the harness only after it has set
// the environment (env() and db() are read once per process), and checked to use its database.
import type * as DbClient from "@/db/client";
import type * as Tables from "@/db/tables";
import type * as BusTables from "@/lib/bus/tables";
import type * as SignOut from "@/lib/realtime/sign-out-everywhere";
import type * as Attach from "@/lib/bus/attach";
import type * as ChannelKinds from "@/lib/bus/channel-kinds";
import type * as ChannelName from "@/lib/bus/channel-name";
import type * as Presence from "@/lib/bus/presence";
import type * as Store from "@/lib/bus/store";
import type * as ReplayRead from "@/lib/bus/replay-read";
import type * as Transact from "@/lib/realtime/transact";
import type * as Emit from "@/lib/bus/emit";
import type * as Revoke from "@/lib/bus/revoke";
import type * as AccessSweep from "@/lib/bus/access-sweep";
import type * as CatchUp from "@/lib/bus/catch-up";
import type * as Authenticate from "@/lib/realtime/authenticate";
import type * as RevokeApiToken from "@/lib/realtime/revoke-api-token";
import type * as ApiTokens from "@/lib/auth/api-tokens";
import type * as Channels from "@/lib/server/channels";
import type * as Clicks from "@/lib/games/clicks";
import type * as Games from "@/lib/games/games";
import type * as Members from "@/lib/games/members";

/** The lib modules a test needs, loaded after the environment is set (env() and db() cache). */
export type BusLib = {
  db: typeof DbClient;
  /** The tables of the engine in use, the app's and the bus's, typed as PostgreSQL's (db/tables.ts). */
  schema: typeof Tables & typeof BusTables;
  attach: typeof Attach;
  channelName: typeof ChannelName;
  channelKinds: typeof ChannelKinds;
  presence: typeof Presence;
  store: typeof Store;
  replayRead: typeof ReplayRead;
  transact: typeof Transact;
  emit: typeof Emit;
  revoke: typeof Revoke;
  accessSweep: typeof AccessSweep;
  catchUp: typeof CatchUp;
  authenticate: typeof Authenticate;
  revokeApiToken: typeof RevokeApiToken;
  apiTokens: typeof ApiTokens;
  channels: typeof Channels;
  clicks: typeof Clicks;
  games: typeof Games;
  members: typeof Members;
  signOut: typeof SignOut;
};

/**
 * The configuration is read once per process: a test file that imported anything reaching
 * db/client at its top level (a constant from lib/bus/store, say) has it read before the harness
 * set DATABASE_PATH, and would write into ./data. Fails loudly instead.
 */
export function expectOwnDatabase(lib: BusLib): void {
  const opened = lib.db.engine().sqlite?.writer.name;
  if (opened === undefined || opened === process.env.DATABASE_PATH) return;
  throw new Error(
    `the bus harness got ${opened}, not its own ${process.env.DATABASE_PATH}: import lib modules through h.lib, not at the top of the test file`,
  );
}

export async function loadLib(): Promise<BusLib> {
  return {
    db: await import("@/db/client"),
    schema: { ...(await import("@/db/tables")), ...(await import("@/lib/bus/tables")) },
    attach: await import("@/lib/bus/attach"),
    channelName: await import("@/lib/bus/channel-name"),
    channelKinds: await import("@/lib/bus/channel-kinds"),
    presence: await import("@/lib/bus/presence"),
    store: await import("@/lib/bus/store"),
    replayRead: await import("@/lib/bus/replay-read"),
    transact: await import("@/lib/realtime/transact"),
    emit: await import("@/lib/bus/emit"),
    revoke: await import("@/lib/bus/revoke"),
    accessSweep: await import("@/lib/bus/access-sweep"),
    catchUp: await import("@/lib/bus/catch-up"),
    authenticate: await import("@/lib/realtime/authenticate"),
    revokeApiToken: await import("@/lib/realtime/revoke-api-token"),
    apiTokens: await import("@/lib/auth/api-tokens"),
    channels: await import("@/lib/server/channels"),
    clicks: await import("@/lib/games/clicks"),
    games: await import("@/lib/games/games"),
    members: await import("@/lib/games/members"),
    signOut: await import("@/lib/realtime/sign-out-everywhere"),
  };
}
