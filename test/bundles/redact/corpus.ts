// A planted-secret corpus: real-format outputs (iproute2, ss, /proc, ethtool, dmesg, Azure IMDS,
// resolv.conf, /etc/hosts, a SAS URL, a PEM key) seeded with one value of every category. The
// values are invented; the formats follow what the tools print.

// Every planted value, as the test searches for it after redaction (all spellings).
export const PLANTED = {
  hostname: 'aks-nodepool1-12345678-vmss000000',
  dnsLabel: 'k3xq0vbbgtaevmvohsbhj4prmb',
  ipv4: ['10.224.0.4', '10.224.0.5', '10.224.0.1', '10.224.255.255', '52.174.10.20', '172.17.0.1'],
  ipv4Dashed: ['10-224-0-4', '10-1-2-3', '20-51-8-9'],
  ipv4OnlyDiscovered: ['10.1.2.3', '20.51.8.9'],
  ipv6: [
    '2603:1030:40c:a::17',
    'fd12:3456:789a::4',
    'fe80::20d:3aff:fe12:3456',
    '20d:3aff:fe12:3456',
  ],
  mac: [
    '00:0d:3a:12:34:56',
    '00:0D:3A:12:34:56',
    '000d3a123456',
    '000D3A123456',
    '00-0d-3a-12-34-56',
    '12:34:56:78:9a:bc',
    '00:0d:3a:ab:cd:ef',
    '00-0d-3a-12-34-57',
    '0012.3456.789a',
  ],
  users: ['alicew', 'azureuser', 'bobk'],
  guids: [
    '8f2c7b1e-3d4a-4c5b-9e6f-0a1b2c3d4e5f',
    '8f2c7b1e3d4a4c5b9e6f0a1b2c3d4e5f',
    '5c1d2e3f-4a5b-4c6d-8e9f-a0b1c2d3e4f5',
    '000d3a12-3456-000d-3a12-3456000d3a12',
  ],
  azureNames: [
    'MC_rg-search_aks-search_westeurope',
    'aks-nodepool1-12345678-vmss',
    'rg-search',
    'aks-search',
    'aks-nodepool1-12345678-vmss_OsDisk_1_3f2a',
  ],
  secrets: [
    'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA%3D%3D',
    'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9',
    'Hunter2Planted!',
    's3cr3tPlantedPw',
    'Zx9-planted-client-secret',
    'ghp_PlantedToken1234567890',
    'AKIAPLANTED1234567',
    'MIIEowIBAAKCAQEAplantedkeymaterial',
    'ssh-rsa AAAAB3NzaC1yc2EplantedPublicKey',
    'ProxyPlantedPw9',
  ],
  keyword: ['contoso', 'Contoso', 'CONTOSO'],
} as const;

// Values that must survive redaction untouched.
export const KEPT = [
  '127.0.0.1',
  '127.0.0.53',
  '::1/128',
  '169.254.169.254',
  '168.63.129.16',
  '0.0.0.0',
  '255.255.255.255',
  '255.255.0.0',
  '224.0.0.251',
  'ff02::1',
  'fe80::1%eth1',
  'link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
  'brd ff:ff:ff:ff:ff:ff',
  '01:00:5e:00:00:01',
  'bus-info: 7870:00:02.0',
  'bus-info: 0000:00:05.0',
  'mlx5_core 7870:00:02.0 enP30832s1: Link up',
  'Linux version 5.15.0-1064-azure',
  'version: 5.10.102.1-microsoft-standard-WSL2',
  'firmware-version: 14.23.1020 (MT_2420110034)',
  'rx_out_of_buffer: 1234567',
  'rx_missed_errors: 1234567',
  '0000a1b2 00000000 0000003c 00000000',
  'location=enqueue_to_backlog+0x1a0/0x2b0 reason: CPU_BACKLOG',
  'disablePasswordAuthentication',
  'group default qlen 1000',
  'westeurope',
  'Microsoft.Compute/virtualMachineScaleSets',
  'Standard_D16ps_v5',
  'nameserver 168.63.129.16',
] as const;

export const ETC_HOSTS = `127.0.0.1 localhost

# The following lines are desirable for IPv6 capable hosts
::1 ip6-localhost ip6-loopback
fe00::0 ip6-localnet
ff00::0 ip6-mcastprefix
ff02::1 ip6-allnodes
ff02::2 ip6-allrouters
ff02::3 ip6-allhosts
10.224.0.4 aks-nodepool1-12345678-vmss000000.k3xq0vbbgtaevmvohsbhj4prmb.ax.internal.cloudapp.net aks-nodepool1-12345678-vmss000000
`;

export const RESOLV_CONF = `# This is /run/systemd/resolve/resolv.conf managed by man:systemd-resolved(8).
# Do not edit.
nameserver 168.63.129.16
search k3xq0vbbgtaevmvohsbhj4prmb.ax.internal.cloudapp.net
`;

export const IP_ADDR = `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
    inet 127.0.0.1/8 scope host lo
       valid_lft forever preferred_lft forever
    inet6 ::1/128 scope host 
       valid_lft forever preferred_lft forever
2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP group default qlen 1000
    link/ether 00:0d:3a:12:34:56 brd ff:ff:ff:ff:ff:ff
    inet 10.224.0.4/16 brd 10.224.255.255 scope global eth0
       valid_lft forever preferred_lft forever
    inet6 2603:1030:40c:a::17/128 scope global dynamic noprefixroute 
       valid_lft 7186sec preferred_lft 7186sec
    inet6 fd12:3456:789a::4/64 scope global 
       valid_lft forever preferred_lft forever
    inet6 fe80::20d:3aff:fe12:3456/64 scope link 
       valid_lft forever preferred_lft forever
3: enP30832s1: <BROADCAST,MULTICAST,SLAVE,UP,LOWER_UP> mtu 1500 qdisc mq master eth0 state UP group default qlen 1000
    link/ether 00:0d:3a:12:34:56 brd ff:ff:ff:ff:ff:ff
    altname enP30832p0s2
4: docker0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN group default 
    link/ether 02:42:8f:11:22:33 brd ff:ff:ff:ff:ff:ff
    inet 172.17.0.1/16 brd 172.17.255.255 scope global docker0
       valid_lft forever preferred_lft forever
    inet6 fe80::1/64 scope link 
       valid_lft forever preferred_lft forever
`;

export const IP_S_LINK = `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
    RX:  bytes packets errors dropped  missed   mcast           
      57233288  585689      0       0       0       0 
    TX:  bytes packets errors dropped carrier collsns           
      57233288  585689      0       0       0       0 
2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP mode DEFAULT group default qlen 1000
    link/ether 00:0d:3a:12:34:56 brd ff:ff:ff:ff:ff:ff
    RX:  bytes packets errors dropped  missed   mcast           
    9812734655 8127364      0     312       0       0 
    TX:  bytes packets errors dropped carrier collsns           
    1234987123 2139847      0       0       0       0 
3: enP30832s1: <BROADCAST,MULTICAST,SLAVE,UP,LOWER_UP> mtu 1500 qdisc mq master eth0 state UP mode DEFAULT group default qlen 1000
    link/ether 00:0d:3a:12:34:56 brd ff:ff:ff:ff:ff:ff
    RX:  bytes packets errors dropped  missed   mcast           
    98127346551 81273641      0       0 1234567       0 
    TX:  bytes packets errors dropped carrier collsns           
    12349871230 21398470      0       0       0       0 
    altname enP30832p0s2
`;

export const IP_J_ADDR = `[{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP","LOWER_UP"],"mtu":65536,"qdisc":"noqueue","operstate":"UNKNOWN","group":"default","txqlen":1000,"link_type":"loopback","address":"00:00:00:00:00:00","broadcast":"00:00:00:00:00:00","addr_info":[{"family":"inet","local":"127.0.0.1","prefixlen":8,"scope":"host","label":"lo","valid_life_time":4294967295,"preferred_life_time":4294967295},{"family":"inet6","local":"::1","prefixlen":128,"scope":"host","valid_life_time":4294967295,"preferred_life_time":4294967295}]},{"ifindex":2,"ifname":"eth0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"mq","operstate":"UP","group":"default","txqlen":1000,"link_type":"ether","address":"00:0d:3a:12:34:56","broadcast":"ff:ff:ff:ff:ff:ff","addr_info":[{"family":"inet","local":"10.224.0.4","prefixlen":16,"broadcast":"10.224.255.255","scope":"global","label":"eth0","valid_life_time":4294967295,"preferred_life_time":4294967295},{"family":"inet6","local":"fe80::20d:3aff:fe12:3456","prefixlen":64,"scope":"link","valid_life_time":4294967295,"preferred_life_time":4294967295}]}]
`;

export const IMDS_INSTANCE = `{
  "compute": {
    "azEnvironment": "AzurePublicCloud",
    "location": "westeurope",
    "name": "aks-nodepool1-12345678-vmss_0",
    "osProfile": {
      "adminUsername": "azureuser",
      "computerName": "aks-nodepool1-12345678-vmss000000",
      "disablePasswordAuthentication": "true"
    },
    "osType": "Linux",
    "publicKeys": [
      {
        "keyData": "ssh-rsa AAAAB3NzaC1yc2EplantedPublicKey",
        "path": "/home/azureuser/.ssh/authorized_keys"
      }
    ],
    "resourceGroupName": "MC_rg-search_aks-search_westeurope",
    "resourceId": "/subscriptions/8f2c7b1e-3d4a-4c5b-9e6f-0a1b2c3d4e5f/resourceGroups/MC_rg-search_aks-search_westeurope/providers/Microsoft.Compute/virtualMachineScaleSets/aks-nodepool1-12345678-vmss/virtualMachines/0",
    "storageProfile": {
      "osDisk": {
        "name": "aks-nodepool1-12345678-vmss_OsDisk_1_3f2a",
        "osType": "Linux"
      }
    },
    "subscriptionId": "8f2c7b1e-3d4a-4c5b-9e6f-0a1b2c3d4e5f",
    "tags": "aks-managed-cluster-name:aks-search;aks-managed-cluster-rg:rg-search;aks-managed-poolName:nodepool1",
    "vmId": "5c1d2e3f-4a5b-4c6d-8e9f-a0b1c2d3e4f5",
    "vmScaleSetName": "aks-nodepool1-12345678-vmss",
    "vmSize": "Standard_D16ps_v5",
    "zone": "1"
  },
  "network": {
    "interface": [
      {
        "ipv4": {
          "ipAddress": [{ "privateIpAddress": "10.224.0.4", "publicIpAddress": "20.51.8.9" }],
          "subnet": [{ "address": "10.224.0.0", "prefix": "16" }]
        },
        "ipv6": { "ipAddress": [] },
        "macAddress": "000D3A123456"
      }
    ]
  }
}
`;

export const DMESG = `[    0.000000] Linux version 5.15.0-1064-azure (buildd@lcy02-amd64-034) (gcc (Ubuntu 11.4.0-1ubuntu1~22.04) 11.4.0, GNU ld (GNU Binutils for Ubuntu) 2.38) #73-Ubuntu SMP Tue Apr 30 14:24:54 UTC 2024 (Ubuntu 5.15.0-1064.73-azure 5.15.152)
[    1.234567] hv_vmbus: registering driver hv_netvsc
[    2.345678] hv_netvsc 000d3a12-3456-000d-3a12-3456000d3a12 eth0: VF slot 1 added
[    3.456789] mlx5_core 7870:00:02.0: firmware version: 14.30.1224
[    3.567890] mlx5_core 7870:00:02.0 enP30832s1: renamed from eth1
[    4.678901] hv_netvsc 000d3a12-3456-000d-3a12-3456000d3a12 eth0: VF registering: enP30832s1
[    4.789012] mlx5_core 7870:00:02.0 enP30832s1: Link up
[    5.890123] hv_netvsc 000d3a12-3456-000d-3a12-3456000d3a12 eth0: Data path switched to VF: enP30832s1
[    6.901234] docker0: port 1(veth3c1d2e4) entered forwarding state
[    7.012345] device eth0 entered promiscuous mode, mac 00:0D:3A:AB:CD:EF
[   10.111111] IN=eth0 OUT= MAC=00:0d:3a:12:34:56:12:34:56:78:9a:bc:08:00 SRC=52.174.10.20 DST=10.224.0.4 LEN=60
[   11.222222] skb:kfree_skb: skbaddr=00000000a1b2c3d4 protocol=2048 location=enqueue_to_backlog+0x1a0/0x2b0 reason: CPU_BACKLOG
[   12.333333] IPv6: eth1: IPv6 duplicate address fe80::1%eth1 used by 00-0d-3a-12-34-57 detected!
`;

export const ETHTOOL_I = `driver: mlx5_core
version: 5.15.0-1064-azure
firmware-version: 14.23.1020 (MT_2420110034)
expansion-rom-version:
bus-info: 7870:00:02.0
supports-statistics: yes
supports-test: yes
supports-eeprom-access: no
supports-register-dump: no
supports-priv-flags: yes
--
driver: hv_netvsc
version: 5.10.102.1-microsoft-standard-WSL2
firmware-version: N/A
bus-info: 0000:00:05.0
`;

export const ETHTOOL_S = `NIC statistics:
     rx_packets: 81273641
     rx_bytes: 98127346551
     rx_out_of_buffer: 1234567
     rx_missed_errors: 1234567
     rx_vport_unicast_packets: 81273641
     tx_queue_0_packets: 21398470
     ch0_arm: 0
`;

export const SOFTNET_STAT = `0000a1b2 00000000 0000003c 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000
0000db31 00000012 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000001
`;

// Fixed-width tables whose columns must not move.
export const SS_TNP = `State  Recv-Q Send-Q         Local Address:Port          Peer Address:Port Process
ESTAB  0      0                 10.224.0.4:9300            10.224.0.5:41234 users:(("java",pid=4242,fd=512))
ESTAB  0      0        [::ffff:10.224.0.4]:9200   [::ffff:10.224.0.5]:55012 users:(("java",pid=4242,fd=601))
ESTAB  0      0                  127.0.0.1:9200             127.0.0.1:55100 users:(("curl",pid=5151,fd=3))
LISTEN 0      4096           127.0.0.53%lo:53                 0.0.0.0:*     users:(("systemd-resolve",pid=612,fd=14))
`;

export const PROC_NET_ARP = `IP address       HW type     Flags       HW address            Mask     Device
10.224.0.1       0x1         0x2         12:34:56:78:9a:bc     *        eth0
168.63.129.16    0x1         0x2         12:34:56:78:9a:bc     *        eth0
172.17.0.2       0x1         0x2         02:42:ac:11:00:02     *        docker0
`;

export const NETSTAT_RN = `Kernel IP routing table
Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface
0.0.0.0         10.224.0.1      0.0.0.0         UG        0 0          0 eth0
10.224.0.0      0.0.0.0         255.255.0.0     U         0 0          0 eth0
168.63.129.16   10.224.0.1      255.255.255.255 UGH       0 0          0 eth0
169.254.169.254 10.224.0.1      255.255.255.255 UGH       0 0          0 eth0
`;

export const SAS_AND_HEADERS = `2024-05-02T10:11:12Z GET https://stsearchprod01.blob.core.windows.net/dropkit/bundle.tgz?sv=2022-11-02&ss=b&srt=o&sp=r&se=2024-06-01T00:00:00Z&st=2024-05-01T00:00:00Z&spr=https&sig=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA%3D%3D
> Authorization: Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL21hbmFnZW1lbnQuYXp1cmUuY29tIn0.c2lnbmF0dXJlLXBsYW50ZWQ
> Host: management.azure.com
< x-ms-subscription-key-hint: 8f2c7b1e3d4a4c5b9e6f0a1b2c3d4e5f
http_proxy=http://proxyuser:ProxyPlantedPw9@10.224.0.1:3128
`;

export const APP_CONFIG = `# elasticsearch keystore export (planted)
password=Hunter2Planted!
db_passwd: s3cr3tPlantedPw
client_secret="Zx9-planted-client-secret"
token=ghp_PlantedToken1234567890
api_key: AKIAPLANTED1234567
cluster.name: contoso-search
node.attr.owner: CONTOSO platform team (Contoso)
path.data: /home/alicew/elasticsearch/data
path.logs: /var/log/elasticsearch/aks-nodepool1-12345678-vmss000000
backup.dir: /Users/bobk/Downloads
`;

export const PEM_KEY = `some preamble
-----BEGIN RSA PRIVATE KEY-----
MIIEowIBAAKCAQEAplantedkeymaterial
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
-----END RSA PRIVATE KEY-----
trailer
`;

// An AWS-style host whose dashed address is only known in dotted form (from discovery).
export const AWS_LOG = `kubelet[812]: Successfully registered node ip-10-1-2-3.eu-west-1.compute.internal
kubelet[812]: node-10-1-2-3 ready; public endpoint pip-20-51-8-9 attached
kube-proxy[901]: endpoints svc-10-224-0-4 updated
`;

export const CISCO = `Vlan    Mac Address       Type        Ports
----    -----------       --------    -----
 100    0012.3456.789a    DYNAMIC     Gi1/0/1
`;

export const IP_MADDR = `1:	lo
	inet  224.0.0.1
	inet6 ff02::1
	inet6 ff01::1
2:	eth0
	link  33:33:00:00:00:01
	link  01:00:5e:00:00:01
	link  33:33:ff:12:34:56
	inet  224.0.0.251
	inet  224.0.0.1
	inet6 ff02::1:ff12:3456
	inet6 ff02::1
`;

// `arp -a` as a Windows jump host prints it, dash-separated.
export const WINDOWS_ARP = `Interface: 10.224.0.4 --- 0x5
  Internet Address      Physical Address      Type
  10.224.0.5            00-0d-3a-12-34-56     dynamic
  224.0.0.251           01-00-5e-00-00-fb     static
`;

// Two hosts of one /24 as the lab bundle holds them (iproute2 6.1: `ip -j addr show dev eth0`,
// `ip route`, `ip route show table local` inside each host's namespace), with the lab's own
// layout: 198.18.0.0/24 behind a bridge at .1, fenced by an unreachable /15. Locally administered
// MACs give EUI-64 link-local addresses, as on Azure.
export const LAB_HOSTS = [
  { address: '198.18.0.11', mac: '02:d1:00:00:00:11', linkLocal: 'fe80::d1:ff:fe00:11' },
  { address: '198.18.0.12', mac: '02:d1:00:00:00:12', linkLocal: 'fe80::d1:ff:fe00:12' },
].map((h) => ({
  ...h,
  ipJAddr: `[{"ifindex":2,"link_index":9,"ifname":"eth0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","operstate":"UP","group":"default","txqlen":1000,"link_type":"ether","address":"${h.mac}","broadcast":"ff:ff:ff:ff:ff:ff","link_netnsid":0,"addr_info":[{"family":"inet","local":"${h.address}","prefixlen":24,"broadcast":"198.18.0.255","scope":"global","label":"eth0","valid_life_time":4294967295,"preferred_life_time":4294967295},{"family":"inet6","local":"${h.linkLocal}","prefixlen":64,"scope":"link","valid_life_time":4294967295,"preferred_life_time":4294967295}]}]
`,
  ipRoute: `default via 198.18.0.1 dev eth0 
198.18.0.0/24 dev eth0 proto kernel scope link src ${h.address} 
unreachable 198.18.0.0/15 
`,
  ipRouteLocal: `local 127.0.0.0/8 dev lo proto kernel scope host src 127.0.0.1 
local 127.0.0.1 dev lo proto kernel scope host src 127.0.0.1 
broadcast 127.255.255.255 dev lo proto kernel scope link src 127.0.0.1 
local ${h.address} dev eth0 proto kernel scope host src ${h.address} 
broadcast 198.18.0.255 dev eth0 proto kernel scope link src ${h.address} 
`,
}));

// An AKS node: its /16 node subnet, its own pod /24 on cbr0, the other nodes' pod /24s through
// them, the Azure /12 VNet and a /26 subnet for a firewall. `ip route`, then `ip -6 route` of a
// dual-stack node.
export const AKS_IP_ROUTE = `default via 10.224.0.1 dev eth0 proto dhcp src 10.224.0.4 metric 100 
10.224.0.0/16 dev eth0 proto kernel scope link src 10.224.0.4 metric 100 
10.224.0.1 dev eth0 proto dhcp scope link src 10.224.0.4 metric 100 
10.244.0.0/24 dev cbr0 proto kernel scope link src 10.244.0.1 
10.244.1.0/24 via 10.224.0.5 dev eth0 
10.244.2.0/24 via 10.224.0.6 dev eth0 
10.224.0.0/12 via 10.224.0.1 dev eth0 
10.225.64.0/26 via 10.224.0.1 dev eth0 
168.63.129.16 via 10.224.0.1 dev eth0 proto dhcp src 10.224.0.4 metric 100 
169.254.169.254 via 10.224.0.1 dev eth0 proto dhcp src 10.224.0.4 metric 100 
`;

export const AKS_IP6_ROUTE = `fd12:3456:789a::/64 dev eth0 proto kernel metric 256 pref medium
fd12:3456:789a:1::/64 via fd12:3456:789a::1 dev eth0 metric 1024 pref medium
fd12:3456:7800::/40 via fd12:3456:789a::1 dev eth0 metric 1024 pref medium
fe80::/64 dev eth0 proto kernel metric 256 pref medium
default via fe80::1234:5678:9abc:def0 dev eth0 proto ra metric 1024 expires 1798sec hoplimit 64 pref medium
`;

export const CORPUS: ReadonlyArray<{ path: string; text: string }> = [
  { path: 'raw/etc_hosts.txt', text: ETC_HOSTS },
  { path: 'raw/resolv_conf.txt', text: RESOLV_CONF },
  { path: 'raw/hostname.txt', text: 'aks-nodepool1-12345678-vmss000000\n' },
  { path: 'raw/ip_addr.txt', text: IP_ADDR },
  { path: 'raw/ip_s_link.txt', text: IP_S_LINK },
  { path: 'raw/ip_j_addr.json', text: IP_J_ADDR },
  { path: 'raw/imds_instance.json', text: IMDS_INSTANCE },
  { path: 'raw/dmesg.txt', text: DMESG },
  { path: 'raw/ethtool_i.txt', text: ETHTOOL_I },
  { path: 'raw/ethtool_S.txt', text: ETHTOOL_S },
  { path: 'raw/softnet_stat.txt', text: SOFTNET_STAT },
  { path: 'raw/ss_tnp.txt', text: SS_TNP },
  { path: 'raw/proc_net_arp.txt', text: PROC_NET_ARP },
  { path: 'raw/netstat_rn.txt', text: NETSTAT_RN },
  { path: 'raw/transfer.log', text: SAS_AND_HEADERS },
  { path: 'raw/app_config.txt', text: APP_CONFIG },
  { path: 'raw/pem.txt', text: PEM_KEY },
  { path: 'raw/aws.log', text: AWS_LOG },
  { path: 'raw/cisco.txt', text: CISCO },
  { path: 'raw/ip_maddr.txt', text: IP_MADDR },
  { path: 'raw/windows_arp.txt', text: WINDOWS_ARP },
];
