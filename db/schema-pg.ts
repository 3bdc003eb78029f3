// The database schema for PostgreSQL (Drizzle pg-core), table for table and column for column the
// same as db/schema.ts (SQLite), used when DATABASE_URL is set (db/tables.ts; docs/postgres.md).
// tests/db/schema-parity.test.ts fails when the two drift apart, so change both, then run
// `npm run db:generate` and `npm run db:generate:pg`; lib/bus/schema*.ts are twins the same way.
// How SQLite's types map to PostgreSQL's, and why: docs/postgres.md, "How the types map".
import { relations, sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import type { ActivityKind, MemberRole, PodiumEntry } from "./schema";

const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3, mode: "date" });
const createdAt = () => instant("created_at").notNull().defaultNow();
/** A 64-bit integer read as a JS number (exact up to 2^53, like better-sqlite3's default). */
const int8 = (name: string) => bigint(name, { mode: "number" });

export const users = pgTable("users", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  username: text("username").notNull().unique(),
  passwordHash: text("password_hash").notNull(),
  /** Bumped by "sign out everywhere": session tokens carry the epoch they were issued in. */
  sessionEpoch: integer("session_epoch").notNull().default(0),
  /** Joined through an invite link with a nickname only (password hash ""), until a password is set. */
  guest: boolean("guest").notNull().default(false),
  /** Last signed-in request, written at most hourly; null before the first. Inactive guests are pruned by it. */
  lastSeenAt: instant("last_seen_at"),
  createdAt: createdAt(),
});

export const games = pgTable(
  "games",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    name: text("name").notNull(),
    ownerId: integer("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    total: int8("total").notNull().default(0),
    /** Secret part of the invite link; null when no link is active. */
    inviteCode: text("invite_code").unique(),
    createdAt: createdAt(),
  },
  (table) => [index("games_owner_idx").on(table.ownerId)],
);

export const members = pgTable(
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
    clicks: int8("clicks").notNull().default(0),
    joinedAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.gameId, table.userId] }), index("members_user_idx").on(table.userId)],
);

export const clickBatches = pgTable(
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

export const activities = pgTable(
  "activities",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
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

export const rounds = pgTable(
  "rounds",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    gameId: integer("game_id")
      .notNull()
      .references(() => games.id, { onDelete: "cascade" }),
    startsAt: instant("starts_at").notNull(),
    endsAt: instant("ends_at").notNull(),
    /** Set once, by the conditional update that ends the round (lib/games/rounds.ts). */
    endedAt: instant("ended_at"),
    /** Kept with names, so a round's result survives its players leaving. */
    podium: jsonb("podium").$type<PodiumEntry[]>(),
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
export const roundScores = pgTable(
  "round_scores",
  {
    roundId: integer("round_id")
      .notNull()
      .references(() => rounds.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    clicks: int8("clicks").notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.roundId, table.userId] })],
);

export const apiTokens = pgTable(
  "api_tokens",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** SHA-256 of the token; the token itself is shown once and never stored. */
    tokenHash: text("token_hash").notNull(),
    lastUsedAt: instant("last_used_at"),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex("api_tokens_hash_idx").on(table.tokenHash), index("api_tokens_user_idx").on(table.userId)],
);

/**
 * The first answer to each idempotency key (lib/api/idempotency.ts): the API's `Idempotency-Key`
 * and the app's per-submission form keys, so that a retry after a lost answer gets that answer
 * back instead of doing the work twice. Kept for a day.
 */
export const idempotentRequests = pgTable(
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
