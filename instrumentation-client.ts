// Browser start-up, run by Next before any of the app's client modules: settings the strict
// Content-Security-Policy needs. zod 4 compiles parsers with `new Function` unless told not to,
// and it probes for that when the first object schema is built (often at a module's top level),
// so the setting must come before every module that builds one; even the guarded probe is
// reported as a violation.
import { z } from "zod";

z.config({ jitless: true });
