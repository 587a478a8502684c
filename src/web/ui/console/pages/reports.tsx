import { useState } from 'preact/hooks';
import { api, withQuery } from '../../shared/api';
import { Banner, DataTable, Field } from '../../shared/components';
import { formatInstant } from '../../shared/format';
import { useLoad } from './use-load';
import './keys-records.css';

type Cell = string | number | boolean | null;
interface Report {
  columns: Array<{ key: string; header: string; instant?: 'minute' | 'second' }>;
  rows: Array<Record<string, Cell>>;
  total: number;
  empty: string;
}

const REPORTS = [
  { name: 'keys-out', title: 'Keys out' },
  { name: 'overdue', title: 'Overdue' },
  { name: 'history', title: 'History of a key' },
  { name: 'access-matrix', title: 'Access matrix' },
  { name: 'physical-audit', title: 'Physical audit' },
] as const;
type ReportName = (typeof REPORTS)[number]['name'];

const headerText = (header: string) => header.charAt(0) + header.slice(1).toLowerCase();
function cellText(value: Cell | undefined, instant: boolean): string {
  if (value === null || value === undefined || value === '') return '–';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return instant && typeof value === 'string' ? formatInstant(value) : String(value);
}

/** The command line's reports as tables, each downloadable whole as a CSV file. */
export function ReportsPage() {
  const [name, setName] = useState<ReportName>('keys-out');
  const keys = useLoad(
    () => api.get<{ keys: Array<{ id: number; label: string }> }>('/api/keys'),
    [],
  );
  const [keyId, setKeyId] = useState('');
  const firstKey = keys.value?.keys[0]?.id;
  const historyKey = keyId || (firstKey === undefined ? '' : String(firstKey));
  const query = name === 'history' ? { keyId: historyKey } : {};
  const ready = name !== 'history' || historyKey !== '';
  const report = useLoad(
    () => (ready ? api.get<Report>(`/api/reports/${name}`, query) : Promise.resolve(null)),
    [name, historyKey],
  );
  const r = report.value;
  const title = REPORTS.find((x) => x.name === name)?.title ?? name;
  return (
    <>
      <div class="filters">
        <Field label="Report">
          {(id) => (
            <select
              id={id}
              value={name}
              onChange={(e) => setName(e.currentTarget.value as ReportName)}
            >
              {REPORTS.map((x) => (
                <option value={x.name}>{x.title}</option>
              ))}
            </select>
          )}
        </Field>
        {name === 'history' ? (
          <Field label="Key">
            {(id) => (
              <select id={id} value={historyKey} onChange={(e) => setKeyId(e.currentTarget.value)}>
                {(keys.value?.keys ?? []).map((k) => (
                  <option value={String(k.id)}>{k.label}</option>
                ))}
              </select>
            )}
          </Field>
        ) : null}
      </div>
      <div class="actions">
        {ready ? (
          <a class="button" href={withQuery(`/api/reports/${name}/csv`, query)} download>
            Download {title} as CSV
          </a>
        ) : null}
        {r && r.total > r.rows.length ? (
          <span class="note">
            Showing the first {r.rows.length.toLocaleString()} of {r.total.toLocaleString()} rows;
            the CSV file has them all.
          </span>
        ) : null}
      </div>
      {report.error ? <Banner kind="error">{report.error}</Banner> : null}
      {r ? (
        <div class="fit-table">
          <DataTable
            caption={title}
            rows={r.rows}
            rowKey={(row) => r.rows.indexOf(row)}
            empty={r.empty}
            columns={r.columns.map((c) => ({
              title: headerText(c.header),
              cell: (row: Record<string, Cell>) => cellText(row[c.key], c.instant !== undefined),
              className: c.key === 'details' || c.key === 'findings' ? 'details' : undefined,
            }))}
          />
        </div>
      ) : ready ? (
        <p class="loading">Loading…</p>
      ) : (
        <p>No keys yet.</p>
      )}
    </>
  );
}
