import { GroupsSection } from './groups';
import { KeySetsSection } from './key-sets';
import { ReasonCodesSection } from './reason-codes';
import './keys-records.css';
import './groups.css';

/**
 * Groups, key sets and reason codes: what permissions and tiers name. Custodians change them;
 * an auditor sees them with no change offered (the API refuses an auditor's change anyway).
 */
export function GroupsAndSetsPage(props: { canChange: boolean }) {
  return (
    <div class="fit-table">
      <p class="note">
        Permissions are given to a group or on a key set on the <a href="#/access">Access</a> page;
        the tiers' rules are on <a href="#/rules">Rules and access</a>.
      </p>
      <GroupsSection canChange={props.canChange} />
      <KeySetsSection canChange={props.canChange} />
      <ReasonCodesSection canChange={props.canChange} />
    </div>
  );
}
