// The database schema (Drizzle, SQLite): users (guests too) and their sessions' epoch, games and
// members, click batches (idempotency), timed rounds and their scores, activity and API tokens.
// The bus's own tables are in lib/bus/schema.ts; drizzle.config.ts reads both files.
import { relations, sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const createdAt = () =>
  integer("created_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);

export const users = sqliteTable("users", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  username: text("username").notNull().unique(),
  passwordHash: text("password_hash").notNull(),
  /** Bumped by "sign out everywhere": session tokens carry the epoch they were issued in. */
  sessionEpoch: integer("session_epoch").notNull().default(0),
  /** Joined through an invite link with a nickname only (password hash ""), until a password is set. */
  guest: integer("guest", { mode: "boolean" }).notNull().default(false),
  /** Last signed-in request, written at most hourly; null before the first. Inactive guests are pruned by it. */
  lastSeenAt: integer("last_seen_at", { mode: "timestamp_ms" }),
  createdAt: createdAt(),
});

export const games = sqliteTable(
  "games",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    ownerId: integer("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    total: integer("total").notNull().default(0),
    /** Secret part of the invite link; null when no link is active. */
    inviteCode: text("invite_code").unique(),
    createdAt: createdAt(),
  },
  (table) => [index("games_owner_idx").on(table.ownerId)],
);

export type MemberRole = "owner" | "player";

export const members = sqliteTable(
  "members",
  {
    gameId: integer("game_id")
      .notNull()
      .references(() => games.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role").$type<MemberRole>().notNull(),
    /** This member's contribution to the game's total. */
    clicks: integer("clicks").notNull().default(0),
    joinedAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.gameId, table.userId] }), index("members_user_idx").on(table.userId)],
);

export const clickBatches = sqliteTable(
  "click_batches",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    batchId: text("batch_id").notNull(),
    gameId: integer("game_id")
      .notNull()
      .references(() => games.id, { onDelete: "cascade" }),
    count: integer("count").notNull(),
    createdAt: createdAt(),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.batchId] }),
    index("click_batches_created_idx").on(table.createdAt),
  ],
);

export type ActivityKind = "created" | "joined" | "left" | "removed" | "renamed" | "milestone";

export const activities = sqliteTable(
  "activities",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    gameId: integer("game_id")
      .notNull()
      .references(() => games.id, { onDelete: "cascade" }),
    kind: text("kind").$type<ActivityKind>().notNull(),
    /** Who the entry is about, kept as text so it survives the user leaving. */
    actor: text("actor").notNull(),
    detail: text("detail").notNull().default(""),
    createdAt: createdAt(),
  },
  (table) => [index("activities_game_idx").on(table.gameId, table.id)],
);

/** A timed round of a game; the podium is the top three when it ended. */
export type PodiumEntry = { userId: number; username: string; clicks: number };

export const rounds = sqliteTable(
  "rounds",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    gameId: integer("game_id")
      .notNull()
      .references(() => games.id, { onDelete: "cascade" }),
    startsAt: integer("starts_at", { mode: "timestamp_ms" }).notNull(),
    endsAt: integer("ends_at", { mode: "timestamp_ms" }).notNull(),
    /** Set once, by the conditional update that ends the round (lib/games/rounds.ts). */
    endedAt: integer("ended_at", { mode: "timestamp_ms" }),
    /** Kept with names, so a round's result survives its players leaving. */
    podium: text("podium", { mode: "json" }).$type<PodiumEntry[]>(),
  },
  (table) => [
    index("rounds_game_idx").on(table.gameId, table.id),
    // At most one running round per game, whichever node starts it.
    uniqueIndex("rounds_one_running_idx")
      .on(table.gameId)
      .where(sql`ended_at is null`),
    index("rounds_due_idx")
      .on(table.endsAt)
      .where(sql`ended_at is null`),
  ],
);

/** Each player's clicks committed while a round ran. */
export const roundScores = sqliteTable(
  "round_scores",
  {
    roundId: integer("round_id")
      .notNull()
      .references(() => rounds.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    clicks: integer("clicks").notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.roundId, table.userId] })],
);

export const apiTokens = sqliteTable(
  "api_tokens",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** SHA-256 of the token; the token itself is shown once and never stored. */
    tokenHash: text("token_hash").notNull(),
    lastUsedAt: integer("last_used_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex("api_tokens_hash_idx").on(table.tokenHash), index("api_tokens_user_idx").on(table.userId)],
);

/**
 * The first answer to each idempotency key (lib/api/idempotency.ts): the API's `Idempotency-Key`
 * and the app's per-submission form keys, so that a retry after a lost answer gets that answer
 * back instead of doing the work twice. Kept for a day.
 */
export const idempotentRequests = sqliteTable(
  "idempotent_requests",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    /** SHA-256 of what was asked (method, path and body, or an action's name and arguments). */
    fingerprint: text("fingerprint").notNull(),
    /** The answer's status; null while the first request still runs. */
    status: integer("status"),
    body: text("body"),
    createdAt: createdAt(),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.key] }),
    index("idempotent_requests_created_idx").on(table.createdAt),
  ],
);

export const usersRelations = relations(users, ({ many }) => ({ memberships: many(members), tokens: many(apiTokens) }));
export const gamesRelations = relations(games, ({ one, many }) => ({
  owner: one(users, { fields: [games.ownerId], references: [users.id] }),
  members: many(members),
}));
export const membersRelations = relations(members, ({ one }) => ({
  game: one(games, { fields: [members.gameId], references: [games.id] }),
  user: one(users, { fields: [members.userId], references: [users.id] }),
}));
