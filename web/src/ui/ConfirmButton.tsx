import { useId, useRef, type ReactNode } from "react";

/** A button that asks before it acts, in a modal dialog that names what will happen. */
export function ConfirmButton({ label, question, confirm, onConfirm, disabled, className }: {
  label: string;
  question: ReactNode;
  confirm: string;
  onConfirm: () => void;
  disabled?: boolean;
  className?: string;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  return (
    <>
      <button type="button" className={className} disabled={disabled} onClick={() => dialog.current?.showModal()}>{label}</button>
      <dialog ref={dialog} aria-labelledby={titleId} className="confirm">
        <form method="dialog">
          <p id={titleId}>{question}</p>
          <div className="actions">
            <button value="cancel" autoFocus>Keep going</button>
            <button value="confirm" className="danger" onClick={() => onConfirm()}>{confirm}</button>
          </div>
        </form>
      </dialog>
    </>
  );
}
