// zod schemas for every input of the game's write paths, shared by actions, the HTTP API and forms.
import { z } from "zod";
import { usernameSchema } from "@/lib/auth/credentials";
import { recordIdSchema } from "@/lib/runtime/record-id";

/** Most clicks one batch may carry: about 25 s of furious clicking at the client's batch pace. */
export const MAX_CLICKS_PER_BATCH = 500;

/** Ids are canonical: a positive integer, or its plain decimal spelling (from a URL). */
export const gameIdSchema = recordIdSchema;
export const userIdSchema = gameIdSchema;
export const gameNameSchema = z.string().trim().min(1, "Give the game a name.").max(60, "At most 60 characters.");

export const clickBatchSchema = z.strictObject({
  count: z.number().int().min(1).max(MAX_CLICKS_PER_BATCH),
  batchId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, "batchId must be 8–64 characters of A–Z, a–z, 0–9, '-' or '_'"),
});
export const addClicksSchema = clickBatchSchema.extend({ gameId: gameIdSchema });

export const createGameSchema = z.strictObject({ name: gameNameSchema });
export const renameGameSchema = createGameSchema;
export const inviteMemberSchema = z.strictObject({ username: usernameSchema });
export const inviteCodeSchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);

export const MIN_ROUND_SECONDS = 5;
export const MAX_ROUND_SECONDS = 600;
export const startRoundSchema = z.strictObject({
  seconds: z
    .number({ error: "seconds must be a whole number from 5 to 600" })
    .int("seconds must be a whole number from 5 to 600")
    .min(MIN_ROUND_SECONDS, `A round lasts at least ${MIN_ROUND_SECONDS} seconds.`)
    .max(MAX_ROUND_SECONDS, `A round lasts at most ${MAX_ROUND_SECONDS} seconds.`),
});
export const roundIdSchema = gameIdSchema;
