import { useState } from 'preact/hooks';

/**
 * A removal asked twice: the first press only offers the second, so a slip of the finger on a
 * phone removes nothing. No browser dialog (it would block the page and its tests).
 */
export function ConfirmButton(props: { label: string; confirm: string; onConfirm: () => void }) {
  const [asked, setAsked] = useState(false);
  if (!asked) {
    return (
      <button type="button" class="secondary danger" onClick={() => setAsked(true)}>
        {props.label}
      </button>
    );
  }
  return (
    <span class="confirm">
      <button
        type="button"
        class="danger"
        onClick={() => {
          setAsked(false);
          props.onConfirm();
        }}
      >
        {props.confirm}
      </button>{' '}
      <button type="button" class="secondary" onClick={() => setAsked(false)}>
        Keep it
      </button>
    </span>
  );
}
