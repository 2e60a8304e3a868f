/** Small shared pieces of the admin pages: labelled fields, banners, the confirm dialog, downloads. */
import { useEffect, useId, useRef, type ReactNode } from 'react';

export function Field(props: { label: string; error?: string; hint?: string; testId: string; children: (ids: { id: string; describedBy?: string; invalid: boolean }) => ReactNode }) {
  const id = useId();
  const hintId = props.hint ? `${id}-hint` : undefined;
  const errId = props.error ? `${id}-err` : undefined;
  const describedBy = [hintId, errId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`adm-field${props.error ? ' adm-field--invalid' : ''}`}>
      <label htmlFor={id}>{props.label}</label>
      {props.children({ id, describedBy, invalid: !!props.error })}
      {props.hint && <div id={hintId} className="adm-hint">{props.hint}</div>}
      {props.error && <div id={errId} className="adm-error" data-testid={`${props.testId}-error`}>{props.error}</div>}
    </div>
  );
}

export function Banner(props: { kind: 'error' | 'info' | 'success' | 'warning'; testId?: string; children: ReactNode }) {
  return (
    <div className={`adm-banner adm-banner--${props.kind}`} role={props.kind === 'error' ? 'alert' : 'status'} data-testid={props.testId}>
      {props.children}
    </div>
  );
}

/** An inline confirmation that takes focus and closes on Escape. */
export function Confirm(props: { title: string; children: ReactNode; confirmLabel: string; onConfirm: () => void; onCancel: () => void; busy?: boolean; testId?: string }) {
  const yes = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  useEffect(() => { yes.current?.focus(); }, []);
  return (
    <div className="adm-confirm" role="alertdialog" aria-modal="false" aria-labelledby={titleId} data-testid={props.testId ?? 'confirm-delete'}
      onKeyDown={(e) => { if (e.key === 'Escape') props.onCancel(); }}>
      <h3 id={titleId}>{props.title}</h3>
      <div>{props.children}</div>
      <div className="adm-actions">
        <button type="button" className="adm-btn adm-btn--danger" ref={yes} onClick={props.onConfirm} disabled={props.busy} data-testid={`${props.testId ?? 'confirm-delete'}-yes`}>{props.confirmLabel}</button>
        <button type="button" className="adm-btn" onClick={props.onCancel} data-testid={`${props.testId ?? 'confirm-delete'}-no`}>Cancel</button>
      </div>
    </div>
  );
}

/** Save text as a file (the API needs a bearer token, so plain links cannot fetch these). */
export function downloadText(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url; a.download = fileName; a.rel = 'noopener';
  document.body.appendChild(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const formatTime = (iso?: string) => {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
};
