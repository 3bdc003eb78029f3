// Server action ids as the current build names them (Next's server-reference-manifest.json): the
// node's warm-up posts one, and the tests post them as an attacker would.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

const manifestSchema = z.object({
  node: z.record(
    z.string(),
    z.object({
      workers: z.record(z.string(), z.object({ moduleId: z.union([z.number(), z.string()]) })),
      filename: z.string().optional(),
      exportedName: z.string().optional(),
    }),
  ),
});

/** The id of `exportedName` from `filename` (e.g. "app/actions/games.ts") in the build at `distDir`. */
export function actionId(filename: string, exportedName: string, distDir = join(process.cwd(), ".next")): string {
  const path = join(distDir, "server", "server-reference-manifest.json");
  const manifest = manifestSchema.parse(JSON.parse(readFileSync(path, "utf8")));
  const ids = Object.entries(manifest.node)
    .filter(([, entry]) => entry.filename === filename && entry.exportedName === exportedName)
    .map(([id]) => id);
  if (ids.length !== 1)
    throw new Error(`expected one action ${filename}#${exportedName} in the build, found ${ids.length}`);
  return ids[0] ?? "";
}
