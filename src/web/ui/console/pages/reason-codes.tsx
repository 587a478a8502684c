import { useState } from 'preact/hooks';
import { api } from '../../shared/api';
import { Banner, DataTable, Field } from '../../shared/components';
import { useAction } from './use-action';
import { useLoad } from './use-load';

interface ReasonCodes {
  reasonCodes: Array<{ code: string; description: string }>;
  tiersAsking: string[];
}

const tierList = (tiers: string[]) => tiers.map((t) => t.replace('_', ' ')).join(', ');

/**
 * The codes a holder types at the cabinet when a key's tier asks for a reason. With none
 * listed, the cabinet takes any code of 1 to 6 digits and records it: the page says so, so
 * that removing the last code is not mistaken for closing those keys.
 */
export function ReasonCodesSection(props: { canChange: boolean }) {
  const codes = useLoad(() => api.get<ReasonCodes>('/api/reason-codes'), []);
  const action = useAction(codes.reload);
  const [code, setCode] = useState('');
  const [description, setDescription] = useState('');
  const value = codes.value;
  const asking = value ? tierList(value.tiersAsking) : '';
  return (
    <section aria-labelledby="reasons-title">
      <h2 id="reasons-title">Reason codes</h2>
      {codes.error ? <Banner kind="error">{codes.error}</Banner> : null}
      {value ? (
        <p class="note">
          {asking
            ? `The tiers that ask for a reason code: ${asking}. `
            : 'No tier asks for a reason code now. '}
          {value.reasonCodes.length === 0
            ? 'With no codes listed, the cabinet takes any code of 1 to 6 digits and records it.'
            : 'The cabinet takes only the codes listed here; with none listed, it would take any code of 1 to 6 digits.'}
        </p>
      ) : null}
      {action.note ? <Banner kind={action.note.kind}>{action.note.text}</Banner> : null}
      <DataTable
        caption="Reason codes a holder types when a tier asks for one"
        rows={value?.reasonCodes ?? []}
        rowKey={(c) => c.code}
        empty={value ? 'No reason codes.' : 'Loading…'}
        columns={[
          { title: 'Code', cell: (c) => c.code },
          { title: 'Meaning', cell: (c) => c.description },
          ...(props.canChange
            ? [
                {
                  title: 'Change',
                  cell: (c: { code: string }) => (
                    <button
                      type="button"
                      class="secondary"
                      onClick={() =>
                        void action.run(async () => {
                          await api.delete(`/api/reason-codes/${encodeURIComponent(c.code)}`);
                          return `Reason code ${c.code} removed.`;
                        })
                      }
                    >
                      Remove<span class="visually-hidden"> code {c.code}</span>
                    </button>
                  ),
                },
              ]
            : []),
        ]}
      />
      {props.canChange ? (
        <form
          class="panel"
          aria-labelledby="add-reason-title"
          onSubmit={(e) => {
            e.preventDefault();
            void action
              .run(async () => {
                await api.post('/api/reason-codes', { code: code.trim(), description });
                return `Reason code ${code.trim()} added.`;
              })
              .then((ok) => {
                if (ok) {
                  setCode('');
                  setDescription('');
                }
              });
          }}
        >
          <h3 id="add-reason-title">Add a reason code</h3>
          <div class="form-row">
            <Field label="Code" hint="1 to 6 digits, typed on the keypad.">
              {(id, describedBy) => (
                <input
                  id={id}
                  aria-describedby={describedBy}
                  required
                  inputMode="numeric"
                  pattern="[0-9]{1,6}"
                  maxLength={6}
                  value={code}
                  onInput={(e) => setCode(e.currentTarget.value)}
                />
              )}
            </Field>
            <Field label="Meaning" hint="What the code stands for, in words.">
              {(id, describedBy) => (
                <input
                  id={id}
                  aria-describedby={describedBy}
                  required
                  maxLength={200}
                  value={description}
                  onInput={(e) => setDescription(e.currentTarget.value)}
                />
              )}
            </Field>
          </div>
          <button type="submit">Add reason code</button>
        </form>
      ) : null}
    </section>
  );
}
