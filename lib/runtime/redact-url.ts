// Service URLs (DATABASE_URL, REDIS_URL) as messages and logs may show them: never the password.

/** `url` with any password replaced by `***`; an unparsable one is not echoed at all. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(an unparsable URL)";
  }
}
