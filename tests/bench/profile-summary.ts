// Summarizes a .cpuprofile written by `npm run bench -- --cpu-prof`: where the samples are, by
// function (self time), by package or file, and inclusive (a function and everything it called).
//   npx tsx tests/bench/profile-summary.ts bench-results/profiles-…/clickbus-throughput.cpuprofile [top]
import { readFileSync } from "node:fs";
import { z } from "zod";

const callFrame = z.object({
  functionName: z.string(),
  url: z.string(),
  lineNumber: z.number(),
  columnNumber: z.number(),
});
const profileSchema = z.object({
  nodes: z.array(z.object({ id: z.number(), callFrame, children: z.array(z.number()).optional() })),
  samples: z.array(z.number()),
});
type Frame = z.infer<typeof callFrame>;

function shortUrl(url: string): string {
  return url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*?\/(\.next|lib|app|tests)\//, "$1/");
}

function frameName(frame: Frame): string {
  return `${frame.functionName || "(anonymous)"} ${shortUrl(frame.url)}:${frame.lineNumber + 1}:${frame.columnNumber + 1}`;
}

function packageOf(frame: Frame): string {
  const url = frame.url;
  if (url === "") return `(native) ${frame.functionName}`;
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules?.[1]) return inModules[1];
  if (url.startsWith("node:")) return url;
  return shortUrl(url).replace(/\/[^/]*$/, "/");
}

function top(counts: Map<string, number>, total: number, limit: number): string {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, count]) => `${((count / total) * 100).toFixed(1).padStart(5)}%  ${name}`)
    .join("\n");
}

function summarize(path: string, limit: number): string {
  const profile = profileSchema.parse(JSON.parse(readFileSync(path, "utf8")));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const packages = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const add = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  for (const sample of profile.samples) {
    const node = byId.get(sample);
    if (!node) continue;
    add(self, frameName(node.callFrame));
    add(packages, packageOf(node.callFrame));
    const seen = new Set<string>();
    for (let id: number | undefined = sample; id !== undefined; id = parent.get(id)) {
      const name = frameName(byId.get(id)?.callFrame ?? node.callFrame);
      if (!seen.has(name)) add(inclusive, name);
      seen.add(name);
    }
  }
  const total = profile.samples.length;
  return [
    `${total} samples`,
    "",
    "self:",
    top(self, total, limit),
    "",
    "by package or file:",
    top(packages, total, limit),
    "",
    "inclusive:",
    top(inclusive, total, limit * 2),
  ].join("\n");
}

const [file, limit] = process.argv.slice(2);
if (!file) {
  console.error("usage: npx tsx tests/bench/profile-summary.ts <file.cpuprofile> [top]");
  process.exit(2);
}
console.log(summarize(file, Number(limit ?? 25)));
