import { useState } from 'preact/hooks';
import { api } from '../../shared/api';
import { Banner, Pager } from '../../shared/components';
import { formatDate } from '../../shared/format';
import { useLoad } from './use-load';

interface MatrixPage {
  holders: Array<{ id: number; name: string; enabled: boolean }>;
  total: number;
  slots: Array<{ slot: number; keyId: number | null; keyLabel: string | null }>;
  cells: Array<{
    holderId: number;
    slot: number;
    via: string;
    schedule: string | null;
    validUntil: string | null;
  }>;
}

const PAGE = 25;

/**
 * Holders (a page at a time, as the server pages them) × the cabinet's keys: a tick where the
 * holder may take the key, with how (direct, a grant, a group) and when, for a reader to check.
 */
export function AccessMatrix(props: {
  /** Changed by the page after a change of access: the matrix is read again at once. */
  version?: number;
}) {
  const [offset, setOffset] = useState(0);
  const page = useLoad(
    () => api.get<MatrixPage>('/api/access-matrix', { offset, limit: PAGE }),
    [offset, props.version ?? 0],
  );
  if (page.error) return <Banner kind="error">{page.error}</Banner>;
  const m = page.value;
  if (!m) return <p class="loading">Loading…</p>;
  const slots = m.slots.filter((s) => s.keyId !== null);
  const ways = (holderId: number, slot: number) =>
    m.cells.filter((c) => c.holderId === holderId && c.slot === slot);
  return (
    <>
      <div
        class="table-wrap"
        tabIndex={0}
        role="region"
        aria-label="Access matrix, scrolls sideways"
      >
        <table class="matrix">
          <caption>
            Who may take which key (holders {offset + 1}–{offset + m.holders.length})
          </caption>
          <thead>
            <tr>
              <th scope="col">Holder</th>
              {slots.map((s) => (
                <th scope="col" class="matrix-key">
                  {s.keyLabel}
                  <span class="slot-number"> · slot {s.slot}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {m.holders.length === 0 ? (
              <tr>
                <td colSpan={slots.length + 1} class="empty">
                  No holders yet.
                </td>
              </tr>
            ) : null}
            {m.holders.map((h) => (
              <tr key={h.id}>
                <th scope="row">
                  {h.name}
                  {h.enabled ? null : <span class="state state-disabled"> disabled</span>}
                </th>
                {slots.map((s) => {
                  const found = ways(h.id, s.slot);
                  const text = found
                    .map(
                      (w) =>
                        `${w.via}${w.schedule ? `, ${w.schedule}` : ''}${w.validUntil ? `, until ${formatDate(w.validUntil)}` : ''}`,
                    )
                    .join('; ');
                  return found.length === 0 ? (
                    <td class="matrix-cell">
                      <span class="visually-hidden">no</span>
                    </td>
                  ) : (
                    <td class="matrix-cell allowed" title={text}>
                      <span aria-hidden="true">✓</span>
                      <span class="visually-hidden">may take: {text}</span>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager offset={offset} limit={PAGE} total={m.total} onOffset={setOffset} />
    </>
  );
}
