// Record ids taken from URL path segments. Only canonical decimal ids name a record, so
// "0x10", "1e3" or "07" are simply unknown ids rather than aliases of other records.
import { z } from "zod";
import { notFound } from "@/lib/games/errors";

const canonicalId = z
  .string()
  .regex(/^[1-9][0-9]{0,15}$/)
  .transform(Number)
  .pipe(z.number().max(Number.MAX_SAFE_INTEGER));

/** The id in `segment`, or null when it cannot name any record. */
export function pathId(segment: string): number | null {
  const parsed = canonicalId.safeParse(segment);
  return parsed.success ? parsed.data : null;
}

/** The game id in `segment`; a malformed one answers exactly like a game the caller cannot see. */
export function gamePathId(segment: string): number {
  const id = pathId(segment);
  if (id === null) throw notFound();
  return id;
}
