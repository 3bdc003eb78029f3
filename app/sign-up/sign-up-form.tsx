"use client";
// The sign-up form: username rules and password length are checked by the server action.
import { useActionState } from "react";
import { signUpAction, type AuthFormState } from "@/app/actions/auth";
import { Field } from "@/app/components/field";
import { SubmitButton } from "@/app/components/submit-button";

export function SignUpForm({ redirectTo }: { redirectTo: string }) {
  const [state, formAction] = useActionState<AuthFormState, FormData>(signUpAction, {});
  return (
    <form action={formAction} className="space-y-4" aria-label="Sign up">
      <input type="hidden" name="redirectTo" value={redirectTo} />
      <Field
        label="Username"
        name="username"
        autoComplete="username"
        required
        defaultValue={state.values?.username}
        errors={state.errors?.username}
        hint="3–32 characters: letters, digits, '-' or '_'."
        autoFocus
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        errors={state.errors?.password}
        hint="At least 8 characters."
      />
      <div role="alert" aria-live="assertive" className="min-h-5 text-sm font-medium text-rose-600">
        {state.message}
      </div>
      <SubmitButton pendingLabel="Creating account…" className="w-full">
        Create account
      </SubmitButton>
    </form>
  );
}
