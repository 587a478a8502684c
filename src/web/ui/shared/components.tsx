import type { ComponentChildren, JSX } from 'preact';
import { useId } from 'preact/hooks';

/** A table with a caption (read by screen readers) and a line for no rows. */
export function DataTable<Row>(props: {
  caption: string;
  columns: Array<{ title: string; cell: (row: Row) => ComponentChildren; className?: string }>;
  rows: readonly Row[];
  rowKey: (row: Row) => string | number;
  empty?: string;
  rowClass?: (row: Row) => string | undefined;
}) {
  return (
    <div class="table-wrap">
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th scope="col" class={c.className}>
                {c.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.length === 0 ? (
            <tr>
              <td colSpan={props.columns.length} class="empty">
                {props.empty ?? 'Nothing to show.'}
              </td>
            </tr>
          ) : (
            props.rows.map((row) => (
              <tr key={props.rowKey(row)} class={props.rowClass?.(row)}>
                {props.columns.map((c) => (
                  <td class={c.className}>{c.cell(row)}</td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

/** Previous / next over a list the server pages; shows where the reader is. */
export function Pager(props: {
  offset: number;
  limit: number;
  total: number;
  onOffset: (offset: number) => void;
}) {
  const { offset, limit, total } = props;
  const last = Math.min(offset + limit, total);
  return (
    <nav class="pager" aria-label="Pages">
      <button
        type="button"
        disabled={offset === 0}
        onClick={() => props.onOffset(Math.max(0, offset - limit))}
      >
        Previous
      </button>
      <span aria-live="polite">
        {total === 0 ? 'none' : `${offset + 1}–${last} of ${total.toLocaleString()}`}
      </span>
      <button type="button" disabled={last >= total} onClick={() => props.onOffset(offset + limit)}>
        Next
      </button>
    </nav>
  );
}

/** A labelled form field; the error, when there is one, is tied to the input for screen readers. */
export function Field(props: {
  label: string;
  error?: string | undefined;
  hint?: string;
  children: (id: string, describedBy: string | undefined) => JSX.Element;
}) {
  const id = useId();
  const note = `${id}-note`;
  const describedBy = props.error || props.hint ? note : undefined;
  return (
    <div class={props.error ? 'field has-error' : 'field'}>
      <label for={id}>{props.label}</label>
      {props.children(id, describedBy)}
      {props.error ? (
        <p id={note} class="field-error" role="alert">
          {props.error}
        </p>
      ) : props.hint ? (
        <p id={note} class="field-hint">
          {props.hint}
        </p>
      ) : null}
    </div>
  );
}

/** A message across the top of a page: what went wrong, or what was done. */
export function Banner(props: { kind: 'error' | 'ok' | 'info'; children: ComponentChildren }) {
  return (
    <div class={`banner banner-${props.kind}`} role={props.kind === 'error' ? 'alert' : 'status'}>
      {props.children}
    </div>
  );
}
