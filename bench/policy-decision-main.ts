import { policyDecision } from './policy-decision.js';

/** Runs the policy decision benchmark alone: `node dist/bench/policy-decision-main.js`. */
const result = policyDecision.run();
process.stdout.write(result.lines.map((l) => `${l}\n`).join(''));
