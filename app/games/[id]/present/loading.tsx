// The presenter screen's loading state: already dark and full-screen, so a projector never flashes white.
export default function Loading() {
  return (
    <div role="status" className="fixed inset-0 z-50 flex items-center justify-center bg-slate-950 text-[4vh] font-bold text-slate-300">
      Loading the presenter screen…
    </div>
  );
}
