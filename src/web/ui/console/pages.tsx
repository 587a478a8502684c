import type { FunctionComponent } from 'preact';
import { AccountsPage } from './pages/accounts';
import type { Role } from './session';

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

function Overview() {
  return <p>The cabinet at a glance arrives with the console's pages.</p>;
}

export const PAGES: ConsolePage[] = [
  { path: '/', title: 'Overview', role: 'viewer', component: Overview },
  { path: '/accounts', title: 'Accounts', role: 'admin', component: AccountsPage },
];
