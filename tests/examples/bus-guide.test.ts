// docs/bus.md's walk-through ("A new kind in five minutes") shows code from files that compile and
// run: each snippet marked `<!-- from <file> -->` must appear, line for line, in that file.
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";

const guide = readFileSync("docs/bus.md", "utf8");
const SNIPPET = /<!-- from ([\w./\-[\]]+) -->\n```ts\n([\s\S]*?)\n```/g;

it("copies every snippet of the bus guide from a file the project compiles", () => {
  const snippets = [...guide.matchAll(SNIPPET)].map((match) => ({ file: match[1] ?? "", code: match[2] ?? "" }));
  expect(snippets.length).toBeGreaterThanOrEqual(6);
  for (const { file, code } of snippets)
    expect(readFileSync(file, "utf8"), `${file} holds the guide's snippet`).toContain(code);
});
