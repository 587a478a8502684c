import { useState } from 'preact/hooks';
import { api } from '../../shared/api';
import { Banner, DataTable, Field, Pager } from '../../shared/components';
import { ConfirmButton } from './confirm-button';
import { MemberSearch, type FoundPerson } from './member-search';
import { useAction } from './use-action';
import { useLoad } from './use-load';

interface Group {
  id: number;
  name: string;
  maxLoanMinutes: number | null;
  members: number;
  authorisesTiers: string[];
}

const PAGE = 10;
const tierList = (tiers: string[]) => tiers.map((t) => t.replace('_', ' ')).join(', ');

/** The groups with their member counts; one opened below the table, to change or to read. */
export function GroupsSection(props: { canChange: boolean }) {
  const groups = useLoad(() => api.get<{ groups: Group[] }>('/api/groups'), []);
  const [openId, setOpenId] = useState<number | null>(null);
  const action = useAction(groups.reload);
  const [name, setName] = useState('');
  const [limit, setLimit] = useState('');
  const list = groups.value?.groups ?? [];
  const open = list.find((g) => g.id === openId);
  return (
    <section aria-labelledby="groups-title">
      <h2 id="groups-title">Groups</h2>
      <p class="note">
        A group that a permission or a tier's further authorisers name cannot be removed: revoke
        that permission or change that tier first. Removing a group ends its members' membership;
        the people themselves stay.
      </p>
      {groups.error ? <Banner kind="error">{groups.error}</Banner> : null}
      <DataTable
        caption="Groups, with how many members each has"
        rows={list}
        rowKey={(g) => g.id}
        empty={groups.value ? 'No groups yet.' : 'Loading…'}
        columns={[
          {
            title: 'Group',
            cell: (g) => (
              <button
                type="button"
                class="link"
                aria-expanded={g.id === openId}
                onClick={() => setOpenId(g.id === openId ? null : g.id)}
              >
                {g.name}
              </button>
            ),
          },
          { title: 'Members', cell: (g) => g.members.toLocaleString() },
          {
            title: 'Loan limit',
            cell: (g) => (g.maxLoanMinutes === null ? '–' : `${g.maxLoanMinutes} min`),
          },
          {
            // Short: four columns share a phone's width. The cell says what the tiers are for.
            title: 'Tiers',
            cell: (g) =>
              g.authorisesTiers.length === 0 ? '–' : `authorises ${tierList(g.authorisesTiers)}`,
          },
        ]}
      />
      {open ? (
        <GroupPanel
          key={open.id}
          group={open}
          canChange={props.canChange}
          onChanged={groups.reload}
          onRemoved={() => {
            setOpenId(null);
            groups.reload();
          }}
        />
      ) : null}
      {props.canChange ? (
        <form
          class="panel"
          aria-labelledby="add-group-title"
          onSubmit={(e) => {
            e.preventDefault();
            void action
              .run(async () => {
                const { id } = await api.post<{ id: number }>('/api/groups', {
                  name,
                  maxLoanMinutes: limit === '' ? null : Number(limit),
                });
                setOpenId(id);
                return `Group ${name.trim()} added.`;
              })
              .then((ok) => {
                if (ok) {
                  setName('');
                  setLimit('');
                }
              });
          }}
        >
          <h3 id="add-group-title">Add a group</h3>
          {action.note ? <Banner kind={action.note.kind}>{action.note.text}</Banner> : null}
          <div class="form-row">
            <Field label="Group name" hint="Up to 200 characters; no two groups share a name.">
              {(id, describedBy) => (
                <input
                  id={id}
                  aria-describedby={describedBy}
                  required
                  maxLength={200}
                  value={name}
                  onInput={(e) => setName(e.currentTarget.value)}
                />
              )}
            </Field>
            <Field label="Loan limit in minutes" hint="Empty: no limit of the group's own.">
              {(id, describedBy) => (
                <input
                  id={id}
                  aria-describedby={describedBy}
                  type="number"
                  min={1}
                  step={1}
                  value={limit}
                  onInput={(e) => setLimit(e.currentTarget.value)}
                />
              )}
            </Field>
          </div>
          <button type="submit">Add group</button>
        </form>
      ) : null}
    </section>
  );
}

/** One group: its members by name (paged), rename, remove, add a person found by the search. */
function GroupPanel(props: {
  group: Group;
  canChange: boolean;
  onChanged: () => void;
  onRemoved: () => void;
}) {
  const { group } = props;
  const [offset, setOffset] = useState(0);
  const members = useLoad(
    () =>
      api.get<{ rows: FoundPerson[]; total: number }>('/api/people', {
        groupId: group.id,
        offset,
        limit: PAGE,
      }),
    [group.id, offset, group.members],
  );
  const action = useAction(props.onChanged);
  const [name, setName] = useState(group.name);
  const memberRows = members.value?.rows ?? [];
  return (
    <div class="panel group-panel" role="region" aria-labelledby="group-panel-title">
      <h3 id="group-panel-title">{group.name}</h3>
      {action.note ? <Banner kind={action.note.kind}>{action.note.text}</Banner> : null}
      {members.error ? <Banner kind="error">{members.error}</Banner> : null}
      <DataTable
        caption={`Members of ${group.name}`}
        rows={memberRows}
        rowKey={(p) => p.id}
        empty={members.value ? 'No members.' : 'Loading…'}
        columns={[
          { title: 'Name', cell: (p) => p.name },
          { title: 'Company', cell: (p) => p.company ?? '–' },
          ...(props.canChange
            ? [
                {
                  title: 'Change',
                  cell: (p: FoundPerson) => (
                    <button
                      type="button"
                      class="secondary"
                      onClick={() =>
                        void action.run(async () => {
                          await api.delete(`/api/groups/${group.id}/members/${p.id}`);
                          return `${p.name} is no longer in ${group.name}.`;
                        })
                      }
                    >
                      Take out<span class="visually-hidden"> {p.name}</span>
                    </button>
                  ),
                },
              ]
            : []),
        ]}
      />
      {members.value && members.value.total > PAGE ? (
        <Pager offset={offset} limit={PAGE} total={members.value.total} onOffset={setOffset} />
      ) : null}
      {props.canChange ? (
        <>
          <MemberSearch
            onAdd={(p) =>
              void action.run(async () => {
                const { changed } = await api.post<{ changed: boolean }>(
                  `/api/groups/${group.id}/members`,
                  { holderId: p.id },
                );
                return changed
                  ? `${p.name} is now in ${group.name}.`
                  : `${p.name} was already in ${group.name}.`;
              })
            }
          />
          <form
            class="form-row"
            onSubmit={(e) => {
              e.preventDefault();
              void action.run(async () => {
                await api.patch(`/api/groups/${group.id}`, { name });
                return `The group is now named ${name.trim()}.`;
              });
            }}
          >
            <Field label="New name">
              {(id) => (
                <input
                  id={id}
                  required
                  maxLength={200}
                  value={name}
                  onInput={(e) => setName(e.currentTarget.value)}
                />
              )}
            </Field>
            <div class="form-action">
              <button type="submit">Rename</button>
            </div>
          </form>
          <ConfirmButton
            label={`Remove the group ${group.name}`}
            confirm={`Yes, remove ${group.name}`}
            onConfirm={() =>
              void action
                .run(async () => {
                  await api.delete(`/api/groups/${group.id}`);
                  return `Group ${group.name} removed.`;
                })
                .then((ok) => {
                  if (ok) props.onRemoved();
                })
            }
          />
        </>
      ) : null}
    </div>
  );
}
