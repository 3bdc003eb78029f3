// The shapes the API answers with (docs/api.md#endpoints), as zod schemas: tests parse every answer
// they read fields from instead of trusting it.
import { z } from "zod";

export const errorAnswer = z.strictObject({
  error: z.string(),
  message: z.string(),
  fields: z.record(z.string(), z.unknown()).optional(),
});

export const gameSummary = z.strictObject({
  id: z.number().int().positive(),
  name: z.string(),
  ownerId: z.number().int(),
  total: z.number().int(),
});

export const memberView = z.strictObject({
  id: z.number().int().positive(),
  username: z.string(),
  role: z.enum(["owner", "player"]),
  clicks: z.number().int(),
});

export const gameDetails = gameSummary.extend({ members: z.array(memberView) });

export const myGames = z.strictObject({
  games: z.array(
    gameSummary.extend({ role: z.enum(["owner", "player"]), ownerName: z.string(), memberCount: z.number().int() }),
  ),
});

/** `paceMs`: how long to wait before the next batch (never below 150 ms). */
export const clicksAnswer = z.strictObject({ total: z.number().int(), paceMs: z.number().int().min(150) });

export const newToken = z.strictObject({
  id: z.number().int().positive(),
  name: z.string(),
  token: z.string().startsWith("cbt_"),
  createdAt: z.string(),
});

export const tokenList = z.strictObject({
  tokens: z.array(
    z.strictObject({
      id: z.number().int(),
      name: z.string(),
      createdAt: z.string(),
      lastUsedAt: z.string().nullable(),
    }),
  ),
});
