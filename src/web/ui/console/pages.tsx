import type { FunctionComponent } from 'preact';
import { AccountPage } from './pages/account';
import { AccessPage } from './pages/access';
import { AccountsPage } from './pages/accounts';
import { Contractor } from './pages/contractor';
import { ImportPage } from './pages/csv-import';
import { GroupsAndSetsPage } from './pages/groups-and-sets';
import { KeysPage } from './pages/keys';
import { Overview } from './pages/overview';
import { People } from './pages/people';
import { RecordsPage } from './pages/records';
import { ReportsPage } from './pages/reports';
import { RulesPage } from './pages/rules';
import { SchedulesPage } from './pages/schedules';
import { useRole } from './pages/use-role';
import { roleAllows, type Role } from './session';

/**
 * The console's pages, in the order of the navigation: the path after '#', the title, the least
 * role that sees the page (the API checks again on every call; hiding a page is only courtesy).
 */
export interface ConsolePage {
  path: string;
  title: string;
  role: Role;
  component: FunctionComponent;
}

function useCanChange(): boolean {
  const role = useRole();
  return role !== null && roleAllows(role, 'custodian');
}

function Keys() {
  return <KeysPage canChange={useCanChange()} />;
}

function GroupsAndSets() {
  return <GroupsAndSetsPage canChange={useCanChange()} />;
}

function Schedules() {
  return <SchedulesPage canChange={useCanChange()} />;
}

function Access() {
  return <AccessPage canChange={useCanChange()} />;
}

function Rules() {
  return <RulesPage isAdmin={useRole() === 'admin'} />;
}

export const PAGES: ConsolePage[] = [
  { path: '/', title: 'Overview', role: 'viewer', component: Overview },
  { path: '/people', title: 'People', role: 'viewer', component: People },
  { path: '/contractor', title: 'Contractor', role: 'custodian', component: Contractor },
  { path: '/keys', title: 'Keys', role: 'viewer', component: Keys },
  { path: '/rules', title: 'Rules and access', role: 'viewer', component: Rules },
  { path: '/access', title: 'Access', role: 'viewer', component: Access },
  { path: '/schedules', title: 'Schedules', role: 'viewer', component: Schedules },
  { path: '/groups', title: 'Groups and key sets', role: 'viewer', component: GroupsAndSets },
  { path: '/records', title: 'Event log', role: 'viewer', component: RecordsPage },
  { path: '/reports', title: 'Reports', role: 'viewer', component: ReportsPage },
  { path: '/import', title: 'CSV import', role: 'custodian', component: ImportPage },
  { path: '/accounts', title: 'Accounts', role: 'admin', component: AccountsPage },
  { path: '/account', title: 'My account', role: 'viewer', component: AccountPage },
];
