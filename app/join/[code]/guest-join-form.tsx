"use client";
// Join as guest: a nickname (prefilled, so one tap joins), no password; errors stay on the field.
import { useActionState } from "react";
import { joinAsGuestAction, type GuestJoinState } from "@/app/actions/guests";
import { Field } from "@/app/components/field";
import { SubmitButton } from "@/app/components/submit-button";

export function GuestJoinForm({ code, suggestion }: { code: string; suggestion: string }) {
  const [state, formAction] = useActionState<GuestJoinState, FormData>(joinAsGuestAction, {});
  return (
    <form action={formAction} aria-label="Join as guest" className="space-y-4">
      <input type="hidden" name="code" value={code} />
      <Field
        label="Nickname"
        name="nickname"
        autoComplete="nickname"
        autoCapitalize="none"
        spellCheck={false}
        required
        minLength={3}
        maxLength={32}
        defaultValue={state.values?.nickname ?? suggestion}
        errors={state.errors?.nickname}
        hint="3–32 characters: letters, digits, '-' or '_'. No password needed."
      />
      <div role="alert" aria-live="assertive" className="min-h-5 text-sm font-medium text-rose-600">
        {state.message}
      </div>
      <SubmitButton pendingLabel="Joining…" className="w-full py-3 text-lg">
        Join as guest
      </SubmitButton>
    </form>
  );
}
