import { describe, expect, it } from 'vitest';
import {
  createRedactor,
  discoverFromEtcHosts,
  discoverFromImds,
  discoverFromResolvConf,
} from '../../../bundles/redact/index.js';
import { ETC_HOSTS, IMDS_INSTANCE, RESOLV_CONF } from './corpus.js';
import { SECRET_A } from './helpers.js';

describe('discovery helpers', () => {
  it('reads every name of /etc/hosts; the keep rules drop the stock ones', () => {
    const d = discoverFromEtcHosts(ETC_HOSTS);
    expect(d.fqdns).toContain('aks-nodepool1-12345678-vmss000000');
    const values = createRedactor({ secret: SECRET_A, discovered: d }).sensitiveValues();
    expect(values).toEqual([
      { category: 'hostname', value: 'aks-nodepool1-12345678-vmss000000' },
      { category: 'domain', value: 'k3xq0vbbgtaevmvohsbhj4prmb.ax' },
    ]);
  });

  it('reads search domains from resolv.conf', () => {
    expect(discoverFromResolvConf(RESOLV_CONF).domains).toEqual([
      'k3xq0vbbgtaevmvohsbhj4prmb.ax.internal.cloudapp.net',
    ]);
    expect(
      discoverFromResolvConf('search a.example b.example # c\ndomain d.example\n').domains,
    ).toEqual(['a.example', 'b.example', 'd.example']);
  });

  it('reads names, ids and addresses from IMDS and tolerates odd documents', () => {
    const d = discoverFromImds(JSON.parse(IMDS_INSTANCE));
    expect(d.hostnames).toEqual(['aks-nodepool1-12345678-vmss000000']);
    expect(d.users).toEqual(['azureuser']);
    expect(d.extra).toEqual(
      expect.arrayContaining([
        { category: 'azure-name', value: 'MC_rg-search_aks-search_westeurope' },
        { category: 'guid', value: '8f2c7b1e-3d4a-4c5b-9e6f-0a1b2c3d4e5f' },
        { category: 'mac', value: '000D3A123456' },
        { category: 'ipv4', value: '20.51.8.9' },
      ]),
    );
    expect(discoverFromImds(null)).toEqual({ hostnames: [], users: [], extra: [] });
    expect(discoverFromImds({ compute: [1, 2], network: { interface: 'x' } })).toEqual({
      hostnames: [],
      users: [],
      extra: [],
    });
  });

  it('learns the address spelled in an AWS host name', () => {
    const r = createRedactor({
      secret: SECRET_A,
      discovered: { hostnames: ['ip-10-1-2-3.eu-west-1.compute.internal'] },
    });
    expect(r.sensitiveValues()).toContainEqual({ category: 'ipv4', value: '10.1.2.3' });
    expect(r.redactText('peer 10.1.2.3').text).not.toContain('10.1.2.3');
  });
});
