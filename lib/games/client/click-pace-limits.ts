// The browser's bounds on the server's pace between click batches (docs/api.md, "Clicks").

/** The shortest gap between two batches, whatever pace the server asks for. */
export const BATCH_INTERVAL_MS = 150;
/**
 * The longest pace a node asks for, and the longest the browser believes (beyond it: a bug, not
 * load; the player's taps would sit unsent). A room of 2,000 on a node whose budget is 100
 * batches a second needs 20 s; the taps still show at once and each batch carries them all.
 */
export const MAX_PACE_MS = 20_000;
/**
 * Batches a second a node takes across all its players before it has measured itself (its
 * starting budget, lib/games/click-pace.ts). The game page renders the node's current budget; an
 * API client, which has none before its first answer, assumes this one to spread its start.
 */
export const STARTING_BATCHES_PER_SECOND = 110;
