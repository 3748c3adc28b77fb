// Node names with a structure worth keeping. AKS names a node after its pool, a hash of the
// cluster and the node's place in the pool; a reader of a bundle needs to see which nodes share a
// pool and a cluster, and which node is which, without learning the names. Such a name is
// pseudonymised part by part, in its own shape and length: the pool as an Azure name (the same
// token as the pool name alone, in a tag or a label), the hash as digits, and the instance kept.
// The instance is a small counter (a VMSS instance id in base 36, or an availability-set index):
// it identifies nothing outside the cluster, and it is how `vmss000001` is matched with
// `virtualMachines/1` and told apart from `vmss000002`.

export interface AksName {
  readonly head: string; // `aks-`, as written
  readonly pool: string;
  readonly hash: string;
  // `-vmss000001` (a scale-set node), `-vmss` (the scale set), `-vmss_1` (its VM resource),
  // `-0` (an availability-set node), as written.
  readonly tail: string;
}

// The pool has no `-` and the hash only digits, so the parts split one way only, and the match
// is linear.
const AKS_NAME = /^(aks-)([a-z0-9]+)-(\d+)(-vmss(?:[0-9a-z]*|_\d+)|-\d+)$/i;

export function parseAksName(text: string): AksName | undefined {
  const m = AKS_NAME.exec(text);
  if (!m) return undefined;
  return { head: m[1]!, pool: m[2]!, hash: m[3]!, tail: m[4]! };
}

// A scale set's computer names: the prefix, then the instance id as six base-36 digits
// (`essearch000001`). Only ids below 36^4 are recognised (two leading zeros), which is every
// scale set with fewer than 1.6 million instances and keeps names like `backup202405` whole.
export interface ScaleSetName {
  readonly prefix: string;
  readonly instance: string;
}

const INSTANCE = /^00[0-9a-z]{4}$/i;
const PREFIX = /^[a-z0-9-]+$/i;

// `minPrefix`: shorter prefixes are not names (see MIN_NAME_LENGTH).
export function parseScaleSetName(text: string, minPrefix: number): ScaleSetName | undefined {
  const prefix = text.slice(0, -6);
  const instance = text.slice(-6);
  if (prefix.length < minPrefix || !INSTANCE.test(instance) || !PREFIX.test(prefix))
    return undefined;
  return { prefix, instance };
}

// An AKS pool name: a lower-case letter, then letters and digits, 12 at most. Azure names of that
// shape get a token without `-` (label-token.ts), so a pool's token fits inside a node name.
export function isPoolShaped(name: string): boolean {
  return /^[a-z][a-z0-9]{0,11}$/.test(name);
}
