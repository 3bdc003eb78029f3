// On a failed chaos test, the nodes' own account: every error or fatal line each node logged
// (pino JSON, level 50+) and anything it printed that is not JSON (a crash's stack trace).
import { onTestFailed } from "vitest";
import type { TestServer } from "../support/server";

const PINO_ERROR = /^\{"level":(5|6)0,/;

function troubleOf(node: TestServer): string[] {
  return node
    .output()
    .split("\n")
    .filter((line) => PINO_ERROR.test(line) || (line.trim() !== "" && !line.startsWith("{") && !/Clickbus is running|Running next.config/.test(line)));
}

/** Registers, inside a test, a hook that prints the nodes' trouble if the test fails. */
export function printNodeTroubleOnFailure(nodes: () => TestServer[]): void {
  onTestFailed(() => {
    for (const [index, node] of nodes().entries()) {
      const lines = troubleOf(node);
      if (lines.length > 0) console.error(`node ${index} (${node.url}) logged:\n${lines.slice(-40).join("\n")}`);
    }
  });
}
