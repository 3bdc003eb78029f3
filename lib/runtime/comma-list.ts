// A comma-separated list as configuration and command lines give it ("a, b,c"): the items,
// trimmed, empty ones dropped; callers pipe it into the schema of the items.
import { z } from "zod";

export const commaList = z.string().transform((value) =>
  value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean),
);
