"use client";
// Browser-side settings that the strict Content-Security-Policy needs: zod 4 compiles parsers
// with `new Function` unless told not to, and even its guarded probe is reported as a violation.
import { z } from "zod";

// Only in the browser: the server's parsers (same bundle when this renders on the server) keep
// their compiled fast path.
if (typeof window !== "undefined") z.config({ jitless: true });

export function StrictCsp(): null {
  return null;
}
