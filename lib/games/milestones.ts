// Milestones: the totals worth celebrating (100, 1 000, 10 000, … and every 10× after).
export const FIRST_MILESTONE = 100;

/** Milestones passed when a total goes from `before` to `after`, smallest first. */
export function milestonesCrossed(before: number, after: number): number[] {
  const crossed: number[] = [];
  for (let value = FIRST_MILESTONE; value <= after; value *= 10) if (value > before) crossed.push(value);
  return crossed;
}

/** The next milestone above `total`. */
export function nextMilestone(total: number): number {
  let value = FIRST_MILESTONE;
  while (value <= total) value *= 10;
  return value;
}
