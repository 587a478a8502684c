import { useState } from 'preact/hooks';
import { api } from '../../shared/api';
import { Banner, Field } from '../../shared/components';
import './keys-records.css';

type Kind = 'holders' | 'credentials' | 'permissions';
interface ImportReport {
  rows: number;
  changes: number;
  unchanged: number;
  errors: Array<{ line: number; message: string }>;
  applied: boolean;
}

const HEADERS: Record<Kind, string> = {
  holders: 'hr_ref,name,enabled,valid_from,valid_until,max_keys_out',
  credentials: 'hr_ref,card,enabled,valid_from,valid_until,pin_required',
  permissions: 'hr_ref,slot,valid_from,valid_until,max_loan_minutes',
};
/** The server's limit (src/web/routes/csv-import.ts), checked here too to say so at once. */
const MAX_CHARS = 1024 * 1024;

/**
 * The HR system's files: check one first (nothing is written; what would change and every bad
 * line, by number), then apply it, all or nothing. Changing the text or the kind asks for a new
 * check, so what is applied is what was checked.
 */
export function ImportPage() {
  const [kind, setKind] = useState<Kind>('holders');
  const [csv, setCsv] = useState('');
  const [preview, setPreview] = useState<ImportReport | null>(null);
  const [done, setDone] = useState<ImportReport | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const edited = (next: () => void) => {
    next();
    setPreview(null);
    setDone(null);
    setFailure(null);
  };
  const run = async (apply: boolean) => {
    setFailure(null);
    if (csv.length > MAX_CHARS) {
      setFailure(`The file is larger than ${MAX_CHARS.toLocaleString()} characters: split it.`);
      return;
    }
    try {
      const report = await api.post<ImportReport>(`/api/import/${kind}`, { csv, apply });
      if (apply) {
        setDone(report);
        setPreview(report.applied ? null : report);
      } else setPreview(report);
    } catch (error) {
      setFailure((error as Error).message);
    }
  };
  const readFile = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (file) {
      const text = await file.text();
      edited(() => setCsv(text));
    }
  };
  const canApply = preview !== null && preview.errors.length === 0 && preview.changes > 0;
  return (
    <>
      <div class="form-row">
        <Field label="What the file holds">
          {(id) => (
            <select
              id={id}
              value={kind}
              onChange={(e) => edited(() => setKind(e.currentTarget.value as Kind))}
            >
              <option value="holders">Holders</option>
              <option value="credentials">Cards</option>
              <option value="permissions">Permissions</option>
            </select>
          )}
        </Field>
        <Field label="CSV file">
          {(id) => (
            <input
              id={id}
              type="file"
              accept=".csv,text/csv"
              onChange={(e) => void readFile(e.currentTarget)}
            />
          )}
        </Field>
      </div>
      <Field label="Contents" hint={`The first line names the columns: ${HEADERS[kind]}`}>
        {(id, describedBy) => (
          <textarea
            id={id}
            aria-describedby={describedBy}
            spellcheck={false}
            value={csv}
            onInput={(e) => {
              const text = e.currentTarget.value;
              edited(() => setCsv(text));
            }}
          />
        )}
      </Field>
      <div class="actions">
        <button type="button" disabled={csv.trim() === ''} onClick={() => void run(false)}>
          Check
        </button>
        <button type="button" disabled={!canApply} onClick={() => void run(true)}>
          Apply all
        </button>
      </div>
      {failure ? <Banner kind="error">{failure}</Banner> : null}
      {done?.applied ? (
        <Banner kind="ok">
          Applied: {done.changes} {done.changes === 1 ? 'row' : 'rows'} changed the records,{' '}
          {done.unchanged} already agreed.
        </Banner>
      ) : null}
      {preview ? <Preview report={preview} /> : null}
    </>
  );
}

function Preview(props: { report: ImportReport }) {
  const r = props.report;
  if (r.errors.length > 0) {
    return (
      <div class="panel" role="alert">
        <h2>Nothing was changed: fix these lines and check again</h2>
        <ul class="import-errors">
          {r.errors.map((e) => (
            <li>
              Line {e.line}: {e.message}
            </li>
          ))}
        </ul>
      </div>
    );
  }
  return (
    <div class="panel" role="status">
      <h2>What applying would do</h2>
      <p>
        {r.rows} {r.rows === 1 ? 'row' : 'rows'} read: {r.changes} would add or change a record,{' '}
        {r.unchanged} already {r.unchanged === 1 ? 'agrees' : 'agree'} with the records. Nothing has
        been changed yet.
      </p>
    </div>
  );
}
