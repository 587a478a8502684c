/**
 * The masking rule belongs to the domain (events carry masked cards); logs, the CLI and the store
 * use the same rule from here.
 */
export { maskCard } from '../domain/mask-card.js';
