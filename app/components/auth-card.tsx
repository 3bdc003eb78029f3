// The centred card that frames the sign-in and sign-up pages.
import type { ReactNode } from "react";

export function AuthCard({ title, children, footer }: { title: string; children: ReactNode; footer: ReactNode }) {
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="mb-6 text-center text-2xl font-bold tracking-tight">{title}</h1>
      <div className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm">{children}</div>
      <p className="mt-4 text-center text-sm text-slate-600">{footer}</p>
    </div>
  );
}
