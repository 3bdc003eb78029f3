// The browser's bounds on the server's pace between click batches (docs/api.md, "Clicks").

/** The shortest gap between two batches, whatever pace the server asks for. */
export const BATCH_INTERVAL_MS = 150;
/** A pace beyond this is not believed (a bug, not load): the player's taps would sit unsent. */
export const MAX_PACE_MS = 10_000;
/**
 * Batches a second a node takes across all its players before it has measured itself (its
 * starting budget, lib/games/click-pace.ts). The game page renders the node's current budget; an
 * API client, which has none before its first answer, assumes this one to spread its start.
 */
export const STARTING_BATCHES_PER_SECOND = 110;
