// On a failed chaos test, the nodes' own account: every warning, error or fatal line each node
// logged (pino JSON, level 40+), lines the test names, and anything that is not JSON (a stack trace).
import { onTestFailed } from "vitest";
import type { TestServer } from "../support/server";

const PINO_WARNING = /^\{"level":(4|5|6)0,/;

function troubleOf(node: TestServer, alsoMatching: RegExp | undefined): string[] {
  return node
    .output()
    .split("\n")
    .filter(
      (line) =>
        PINO_WARNING.test(line) ||
        alsoMatching?.test(line) ||
        (line.trim() !== "" && !line.startsWith("{") && !/Clickbus is running|Running next.config/.test(line)),
    );
}

/** Registers, inside a test, a hook that prints the nodes' trouble if the test fails. */
export function printNodeTroubleOnFailure(nodes: () => TestServer[], alsoMatching?: RegExp): void {
  onTestFailed(() => {
    for (const [index, node] of nodes().entries()) {
      const lines = troubleOf(node, alsoMatching);
      if (lines.length > 0) console.error(`node ${index} (${node.url}) logged:\n${lines.slice(-40).join("\n")}`);
    }
  });
}
