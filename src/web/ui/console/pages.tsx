import type { FunctionComponent } from 'preact';
import { AccountsPage } from './pages/accounts';
import { Contractor } from './pages/contractor';
import { Overview } from './pages/overview';
import { People } from './pages/people';
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

export const PAGES: ConsolePage[] = [
  { path: '/', title: 'Overview', role: 'viewer', component: Overview },
  { path: '/people', title: 'People', role: 'viewer', component: People },
  { path: '/contractor', title: 'Contractor', role: 'custodian', component: Contractor },
  { path: '/accounts', title: 'Accounts', role: 'admin', component: AccountsPage },
];
