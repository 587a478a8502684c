/** Who made an administrative change. */
export interface Actor {
  kind: 'custodian' | 'central';
  account: string;
}
