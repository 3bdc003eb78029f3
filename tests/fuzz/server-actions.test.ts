// Property-based fuzzing of the server actions against a real node: every action of the build,
// posted by hand with arguments shaped like its own (the world's ids, form fields) and bent, or
// anything, or bodies React's decoder must refuse; as owner, member, stranger or forged session.
// Never a 500 (but Next's own for a body it cannot decode), never a crashed action ("action
// failed"), and a refusal changes nothing in the SQLite file. FUZZ_RUNS raises the count.
import fc from "fast-check";
import { expect, it } from "vitest";
import { ActionPoster } from "./action-call";
import { actionInput } from "./action-inputs";
import { problemWith } from "./action-verdict";
import { DbFingerprint } from "./db-fingerprint";
import { fuzz, fuzzRuns } from "./fuzz-run";
import { fuzzTargetForFile } from "./fuzz-target";
import { repair } from "./fuzz-world";

const FILE = "tests/fuzz/server-actions.test.ts";
const NAME = "never answers a 500 or crashes an action, and a refusal changes nothing";
/** runAction's log line for an unexpected error, and any other error-level line (pino JSON). */
const CRASHED = /action failed|"level":(5|6)0,/;

const target = fuzzTargetForFile();

it(
  NAME,
  async () => {
    const { server, w, lookup, fingerprint } = target();
    const poster = new ActionPoster(server.url);
    await fuzz(
      FILE,
      NAME,
      fc.asyncProperty(actionInput, async (input) => {
        await repair(server, w, lookup);
        await fingerprint.settle();
        const before = fingerprint.read();
        const logged = server.output().length;
        const answer = await poster.post(input, w, lookup);
        const problem = problemWith(
          input.action,
          answer,
          DbFingerprint.changed(before, fingerprint.read()),
          input.rawBody !== undefined,
        );
        if (problem) throw new Error(problem);
        const crash = CRASHED.exec(server.output().slice(logged));
        if (crash) throw new Error(`${input.action} made the node log: ${server.output().slice(logged).slice(0, 600)}`);
      }),
    );
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  },
  60_000 + fuzzRuns() * 150,
);
