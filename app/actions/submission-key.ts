// The hidden field a keyed form sends its submission key in: shared by the server side
// (run-action.ts) and the form's hook (app/components/use-keyed-submit.ts), with nothing else in it.
export const SUBMISSION_KEY_FIELD = "submissionKey";
