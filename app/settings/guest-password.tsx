"use client";
// A guest's "keep this account" form: set a password, and the account is no longer pruned.
import { useActionState } from "react";
import { setGuestPasswordAction, type PasswordFormState } from "@/app/actions/settings";
import { Field } from "@/app/components/field";
import { SubmitButton } from "@/app/components/submit-button";

export function GuestPassword({ retentionDays }: { retentionDays: number }) {
  const [state, formAction] = useActionState<PasswordFormState, FormData>(setGuestPasswordAction, {});
  return (
    <section
      aria-labelledby="guest-heading"
      className="space-y-3 rounded-2xl border border-amber-200 bg-amber-50 p-4 shadow-sm"
    >
      <h2 id="guest-heading" className="font-semibold">
        Keep your guest account
      </h2>
      <p className="text-sm text-slate-700">
        You joined as a guest. Guest accounts unused for {retentionDays} days are removed with their place in games
        (their clicks stay in the totals). Set a password to keep this one and sign in with it on any device.
      </p>
      <form action={formAction} className="space-y-3" aria-label="Set a password">
        <Field
          label="New password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          errors={state.errors?.password}
          hint="At least 8 characters."
        />
        <p
          role={state.ok === false ? "alert" : "status"}
          className={`min-h-5 text-sm ${state.ok === false ? "text-rose-600" : "text-emerald-700"}`}
        >
          {state.message}
        </p>
        <SubmitButton pendingLabel="Saving…">Set password</SubmitButton>
      </form>
    </section>
  );
}
