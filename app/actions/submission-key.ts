// A keyed form submission's parts, shared by the server side (run-action.ts) and the form's hook
// (app/components/use-keyed-submit.ts), with nothing else in it so the browser bundle may import it.

/** The hidden field a keyed form sends its submission key in. */
export const SUBMISSION_KEY_FIELD = "submissionKey";

/**
 * What of a submission must match for a retry to be the same one: its fields, as text, without
 * the key itself and React's own `$ACTION` fields.
 */
export function submissionFields(formData: FormData): string {
  return JSON.stringify(
    [...formData.entries()]
      .filter(([field]) => field !== SUBMISSION_KEY_FIELD && !field.startsWith("$ACTION"))
      .map(([field, entry]) => [field, typeof entry === "string" ? entry : entry.name]),
  );
}
