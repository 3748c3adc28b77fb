// The hops dropkit walks for a ProxyJump list. OpenSSH runs `ProxyJump a,b` as
// `ssh -J a -W target b`, and that as `ssh -W b a`: the first hop is reached with its own
// config, so its own ProxyJump applies (recursively), while the -J given to the later hops
// overrides theirs. Flattening gives the same route as one list, connected hop by hop.

// A chain this long is a ProxyJump loop that went through differently spelled names.
const MAX_HOPS = 16;

export type JumpChainResult = { ok: true; hops: string[] } | { ok: false; reason: string };

/** `jumpsOf(spec)` is the ProxyJump list configured for that hop, if any. */
export function jumpChain(
  hops: string[],
  jumpsOf: (spec: string) => string[] | undefined,
): JumpChainResult {
  let chain = [...hops];
  for (let first = chain[0]; first !== undefined; first = chain[0]) {
    const own = jumpsOf(first) ?? [];
    if (own.length === 0) break;
    // Typically `Host *` + ProxyJump without excluding the jump host: ssh stops with
    // "jumphost loop" (or never ends), so there is no route to follow.
    const again = own.find((hop) => chain.includes(hop));
    if (again !== undefined) {
      return {
        ok: false,
        reason: `ProxyJump loop: jump host "${first}" is itself configured to jump through "${again}"`,
      };
    }
    chain = [...own, ...chain];
    if (chain.length > MAX_HOPS) {
      return { ok: false, reason: `ProxyJump loop: more than ${MAX_HOPS} jump hosts` };
    }
  }
  return { ok: true, hops: chain };
}
