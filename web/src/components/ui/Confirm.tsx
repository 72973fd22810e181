import { useEffect, useRef, useState, type ReactNode } from 'react';

/**
 * A button that asks first: a modal <dialog> (focus trapped and restored by the browser, Esc
 * cancels) with the consequence spelled out; the destructive button is never the default.
 */
export function ConfirmButton({
  label,
  title,
  children,
  confirmLabel,
  onConfirm,
  className = 'danger',
  testId,
}: {
  label: string;
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<string | null | void> | void;
  className?: string;
  testId?: string;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (open && !dialog.current?.open) dialog.current?.showModal();
    if (!open && dialog.current?.open) dialog.current.close();
  }, [open]);
  async function confirm() {
    setBusy(true);
    const failure = await onConfirm();
    setBusy(false);
    if (failure) return setError(failure);
    setOpen(false);
  }
  return (
    <>
      <button type="button" className={className} onClick={() => (setError(null), setOpen(true))} data-testid={testId}>
        {label}
      </button>
      {open && (
        <dialog ref={dialog} className="confirm" aria-labelledby="confirm-title" onClose={() => setOpen(false)}>
          <h2 id="confirm-title">{title}</h2>
          {children && <div className="muted">{children}</div>}
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <div className="row dialog-actions">
            <button type="button" autoFocus onClick={() => setOpen(false)}>
              Keep it
            </button>
            <button type="button" className="danger-solid" disabled={busy} onClick={() => void confirm()}>
              {confirmLabel}
            </button>
          </div>
        </dialog>
      )}
    </>
  );
}
