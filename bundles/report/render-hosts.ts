import { h, table } from './html.js';
import { arr, cell, field, obj, str } from './json-read.js';

// Each host's facts as tables: system, interfaces with their rings, the
// loss counters since boot, softnet per CPU, the key sysctls, and what
// could not be collected. From summary.json's hosts. Pure.

function ring(r: unknown, dir: 'rx' | 'tx'): string {
  const v = cell(field(r, dir));
  const max = cell(field(r, `${dir}Max`));
  return v || max ? `${v || '?'} of ${max || '?'}` : '';
}

function host(x: unknown): string {
  const name = str(field(x, 'host')) ?? '?';
  const sys = field(x, 'system');
  const facts = ['kernel', 'os', 'cpus', 'cpuModel', 'vmSize', 'location', 'zone']
    .map((k) => [k, cell(field(sys, k))] as const)
    .filter(([, v]) => v);
  const nics = arr(field(x, 'nics')).map((n) => [
    cell(field(n, 'name')),
    cell(field(n, 'kind')),
    cell(field(n, 'driver')),
    cell(field(n, 'mtu')),
    cell(field(n, 'state')),
    ring(field(n, 'ring'), 'rx'),
    ring(field(n, 'ring'), 'tx'),
    cell(field(n, 'pairing')),
  ]);
  const loss = arr(field(x, 'loss')).map((l) => [
    cell(field(l, 'iface')),
    cell(field(l, 'source')),
    cell(field(l, 'counter')),
    cell(field(l, 'value')),
  ]);
  const softnet = arr(field(x, 'softnet')).map((s) => [
    `cpu${cell(field(s, 'cpu'))}`,
    cell(field(s, 'processed')),
    cell(field(s, 'dropped')),
    cell(field(s, 'timeSqueeze')),
    cell(field(s, 'flowLimitCount')),
  ]);
  const sysctls = Object.entries(obj(field(x, 'sysctls')) ?? {}).map(([k, v]) => [k, cell(v)]);
  const missing = arr(field(x, 'notCollected')).map((m) => [
    cell(field(m, 'source')),
    cell(field(m, 'reason')),
    arr(field(m, 'ifaces')).map(cell).join(', '),
  ]);
  const error = str(field(x, 'error'));
  return `<section class="host"><h3>${h(name)} <span class="status">${h(str(field(x, 'status')) ?? '')}</span></h3>
${error ? `<p class="problem">${h(error)}</p>` : ''}
${facts.length ? table(['', ''], facts) : ''}
${nics.length ? `<h4>Interfaces</h4>${table(['interface', 'kind', 'driver', 'MTU', 'state', 'RX ring (in use of max)', 'TX ring', 'pairing'], nics)}` : ''}
<h4>Loss counters since boot</h4>${loss.length ? table(['interface', 'source', 'counter', 'value'], loss) : '<p class="none">None is non-zero.</p>'}
${softnet.length ? `<h4>softnet per CPU, since boot</h4>${table(['CPU', 'processed', 'dropped', 'time_squeeze', 'flow_limit_count'], softnet)}` : ''}
${sysctls.length ? `<h4>Settings</h4>${table(['sysctl', 'value'], sysctls)}` : ''}
${missing.length ? `<h4>Not collected</h4>${table(['source', 'reason', 'interfaces'], missing)}` : ''}
</section>`;
}

export function hostsSection(summary: unknown, title = 'Hosts'): string {
  const hosts = arr(field(summary, 'hosts'));
  if (!hosts.length) return '';
  return `<section id="hosts"><h2>${h(title)}</h2>\n${hosts.map(host).join('\n')}\n</section>`;
}
