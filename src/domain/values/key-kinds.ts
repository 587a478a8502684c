/**
 * The words a custodian may give a key's tier, state and return policy, in the order help and
 * errors list them. (The domain's KeyTier in key-tiers.ts adds `none` for a key with no tier.)
 */
export const KEY_TIERS = ['grand_master', 'master', 'sub_master', 'change'] as const;
export type KeyTier = (typeof KEY_TIERS)[number];
export const KEY_STATES = ['active', 'lost', 'stolen', 'retired'] as const;
export type KeyState = (typeof KEY_STATES)[number];
export const RETURN_POLICIES = ['home', 'any'] as const;
export type ReturnPolicy = (typeof RETURN_POLICIES)[number];
