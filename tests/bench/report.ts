// The bench's output: the machine it ran on, a table on stdout (Clickbus, baseline, and their
// ratio for every figure), and the full results as JSON under bench-results/.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release, totalmem } from "node:os";
import { join } from "node:path";
import type { Row } from "./rows";

export type Machine = {
  cores: number;
  cpuModel: string;
  node: string;
  kernel: string;
  memoryGiB: number;
  loadAverage: number[];
};

export function machine(): Machine {
  const all = cpus();
  return {
    cores: all.length,
    cpuModel: all[0]?.model ?? "unknown",
    node: process.version,
    kernel: release(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    loadAverage: loadavg().map((value) => Math.round(value * 100) / 100),
  };
}

function format(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return "–";
  if (value >= 100) return Math.round(value).toLocaleString("en-US");
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function ratio(row: Row): string {
  if (
    row.clickbus === undefined ||
    row.baseline === undefined ||
    row.baseline === 0 ||
    Number.isNaN(row.clickbus) ||
    Number.isNaN(row.baseline)
  )
    return "–";
  return `${(row.clickbus / row.baseline).toFixed(2)}×`;
}

/** A Markdown table, so it can be pasted into docs/benchmarks/ as it is. */
export function renderTable(rows: readonly Row[]): string {
  const header = ["scenario", "metric", "unit", "Clickbus", "baseline", "Clickbus/baseline", "check"];
  const cells = rows.map((row) => [
    row.scenario,
    row.metric,
    row.unit,
    format(row.clickbus),
    format(row.baseline),
    ratio(row),
    row.check,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...cells.map((line) => (line[column] ?? "").length)),
  );
  const numeric = new Set([3, 4, 5]);
  const line = (values: readonly string[]) =>
    `| ${values.map((value, column) => (numeric.has(column) ? value.padStart(widths[column] ?? 0) : value.padEnd(widths[column] ?? 0))).join(" | ")} |`;
  const rule = `| ${widths.map((width, column) => (numeric.has(column) ? `${"-".repeat(width - 1)}:` : "-".repeat(width))).join(" | ")} |`;
  return [line(header), rule, ...cells.map(line)].join("\n");
}

export function describeMachine(host: Machine): string {
  return `${host.cores} cores, ${host.cpuModel}, ${host.memoryGiB} GiB, Node ${host.node}, Linux ${host.kernel}, load average ${host.loadAverage.join(" / ")}`;
}

/** Writes the run as JSON into `dir`; returns the file's path. */
export function writeJson(dir: string, startedAt: Date, run: unknown): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `bench-${startedAt.toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, `${JSON.stringify(run, null, 2)}\n`);
  return file;
}
