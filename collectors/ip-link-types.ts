// Shared output shape of the `ip -s link` text and JSON parsers.
export interface IpLinkInterface {
  ifindex: number;
  name: string;
  // The part after `@`: the peer/lower device (`cilium_net@cilium_host`), `ifN` when it lives
  // in another netns (`lxcb16c490a744c@if65`), `NONE` for tunnels without one.
  peer?: string;
  flags: string[];
  // Null only when the header line carried no `mtu`.
  mtu: number | null;
  qdisc?: string;
  master?: string;
  state?: string;
  linkType?: string;
  mac?: string;
  // The link-layer address as printed (an IPv4 address for `link/gre`), and `brd`.
  address?: string;
  broadcast?: string;
  // Header pairs as printed (`mode DEFAULT`, `group default`, `qlen 1000`, ...).
  attrs: Record<string, string>;
  altnames: string[];
  // `-d` detail text (`veth addrgenmode ...`, `parentbus virtio parentdev virtio2`), as printed.
  details: string[];
  // The link's kind with -d (`veth`, `bridge`, `vxlan`): the rtnl_link_ops of
  // a software interface, which is also its driver's name.
  kind?: string;
  // Kernel sysfs names (/sys/class/net/<if>/statistics/*), whatever the iproute2 layout.
  stats: Record<string, bigint>;
}

export interface IpLink {
  interfaces: IpLinkInterface[];
}

export function emptyInterface(ifindex: number, name: string): IpLinkInterface {
  return { ifindex, name, flags: [], mtu: null, attrs: {}, altnames: [], details: [], stats: {} };
}

// A colon-separated hex link-layer address (Ethernet, or 20-byte InfiniBand).
export function isMacLike(text: string): boolean {
  return /^[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2})+$/.test(text);
}
