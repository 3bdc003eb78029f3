"use client";
// The sign-in form: posts to signInAction and shows its errors in place.
import { useActionState } from "react";
import { signInAction, type AuthFormState } from "@/app/actions/auth";
import { Field } from "@/app/components/field";
import { SubmitButton } from "@/app/components/submit-button";

export function SignInForm({ redirectTo }: { redirectTo: string }) {
  const [state, formAction] = useActionState<AuthFormState, FormData>(signInAction, {});
  return (
    <form action={formAction} className="space-y-4" aria-label="Sign in">
      <input type="hidden" name="redirectTo" value={redirectTo} />
      <Field
        label="Username"
        name="username"
        autoComplete="username"
        required
        defaultValue={state.values?.username}
        autoFocus
      />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required />
      <div role="alert" aria-live="assertive" className="min-h-5 text-sm font-medium text-rose-600">
        {state.message}
      </div>
      <SubmitButton pendingLabel="Signing in…" className="w-full">
        Sign in
      </SubmitButton>
    </form>
  );
}
