import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A modal confirmation on the browser's own <dialog>: focus stays inside, Escape cancels (not while the
 * request runs), and focus returns to the button that opened it.
 */
export function Dialog({
  title,
  children,
  confirmLabel,
  busyLabel,
  onConfirm,
  onClose,
  busy = false,
  confirmDisabled = false,
  danger = false,
}: {
  title: string;
  children: ReactNode;
  /** Left out: the dialog only informs, with a close button. */
  confirmLabel?: string;
  busyLabel?: string;
  onConfirm: () => void;
  onClose: () => void;
  busy?: boolean;
  confirmDisabled?: boolean;
  danger?: boolean;
}) {
  const { t } = useTranslation('organize');
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const bodyId = useId();

  useEffect(() => {
    const dlg = ref.current;
    if (!dlg) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dlg.open) dlg.showModal();
    return () => {
      if (dlg.open) dlg.close();
      opener?.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className="org-dialog"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      onCancel={(e) => {
        e.preventDefault();
        if (!busy) onClose();
      }}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          if (confirmLabel && !busy && !confirmDisabled) onConfirm();
        }}
      >
        <h2 id={titleId}>{title}</h2>
        <div id={bodyId} className="org-dialog-body">
          {children}
        </div>
        <div className="actions org-dialog-actions">
          <button type="button" className="button button-secondary" onClick={onClose} disabled={busy}>
            {confirmLabel ? t('dialog.cancel') : t('dialog.close')}
          </button>
          {confirmLabel && (
            <button
              type="submit"
              className={`button ${danger ? 'org-button-danger' : 'button-primary'}`}
              disabled={busy || confirmDisabled}
            >
              {busy ? (busyLabel ?? t('dialog.working')) : confirmLabel}
            </button>
          )}
        </div>
      </form>
    </dialog>
  );
}
