// The one id rule of the app: a record id is a positive safe integer, and its only spelling in
// text (URLs, channel names, forms) is plain decimal, so "07", "1e3" or "0x10" name nothing.
import { z } from "zod";

export const canonicalIdText = z
  .string()
  .regex(/^[1-9]\d{0,15}$/)
  .transform(Number)
  .pipe(z.number().max(Number.MAX_SAFE_INTEGER));
export const recordIdSchema = z.union([z.number().int().positive().max(Number.MAX_SAFE_INTEGER), canonicalIdText]);

/** The id spelled by `text`, or null when it cannot name any record. */
export function parseRecordId(text: string | undefined): number | null {
  const parsed = canonicalIdText.safeParse(text);
  return parsed.success ? parsed.data : null;
}
