import { shellQuote } from '../../../kit/shell-quote.js';
import { isValidIfaceName } from '../../iface-name.js';
import { getOwn } from '../../own-record.js';
import { majorOf } from '../../qdisc-tree.js';
import type { Qdisc } from '../../tc-qdisc.js';
import type { Evidence } from '../finding.js';
import { count, packets } from '../numbers.js';
import {
  fifoBytesTarget,
  fifoPacketsTarget,
  formatSize,
  formatTime,
  fqCodelLimitTarget,
  fqCodelMemoryTarget,
  fqFlowLimitTarget,
  fqLimitTarget,
  isRate,
  optionWord,
  parsePackets,
  parseSize,
  parseTimeUs,
  TXQUEUELEN_TARGET,
  tbfLatencyTarget,
} from '../qdisc-values.js';
import { configEvidence } from './text.js';

// Why one qdisc dropped and the exact change for it, from its kind, its parameters as tc
// printed them and, when tc printed them, its own statistics (fq_codel drop_overlimit).

export interface QdiscCase {
  // The qdisc in the last capture.
  q: Qdisc;
  // What the finding counts for it: its drops, or a parent's own share of them.
  drops: bigint;
  own: boolean;
  // Its kind's counters over the same span (kindStats); undefined when tc printed none.
  stats?: Record<string, bigint>;
  // The nearest shaper above it (tbf, htb...): what fills its queue is that shaper's rate.
  shapedBy?: Qdisc;
}

export interface QdiscFix {
  // Why it dropped, one or two sentences.
  cause: string;
  // For a title: `limit 5p reached`.
  short: string;
  summary: string;
  // Commands to run before the fix (`tc qdisc replace dev eth0 root handle 1: mq`).
  prelude: string[];
  commands: string[];
  checks: string[];
  persistent: string[];
  caveats: string[];
  config: Evidence[];
  // The proposed queue, in bytes of full-size packets, to say how long it is at a shaper's rate.
  queueBytes?: number;
}

// How tc can reach a qdisc (tried on iproute2 6.1, kernel 6.18). A qdisc the kernel made by
// default has handle 0, and `tc qdisc change` refuses it ("Qdisc not found. To create specify
// NLM_F_CREATE flag"): it is replaced, and the parameters not given take their defaults, as it
// had. The default mq's children cannot be named at all (`parent :3`: "Failed to find
// specified qdisc"), so the mq gets a handle first; its queues get the default qdisc again.
interface Address {
  verb: 'change' | 'replace';
  where: string;
  prelude: string[];
}

export const MQ_CAVEAT =
  "Giving the default mq a handle (tc qdisc replace ... root handle 1: mq) re-creates every TX queue's qdisc with net.core.default_qdisc and its defaults, as before, and drops what was queued at that moment.";
export const TC_CAVEAT = `tc changes last until the qdisc or its device is re-created (reboot, driver reload, a pod's veth): make them permanent where the device is configured (systemd-networkd [QDisc] sections, NetworkManager tc.qdiscs, or a udev RUN+="/sbin/tc ..." rule).`;

function address(dev: string, q: Qdisc): Address | undefined {
  const handle = majorOf(q.handle);
  if (handle === undefined) return undefined;
  const verb = handle === 0 ? 'replace' : 'change';
  if (q.parent === 'root') return { verb, where: 'root', prelude: [] };
  const m = q.parent === undefined ? null : /^([0-9a-f]{0,4}):([0-9a-f]{1,4})$/i.exec(q.parent);
  if (!m) return undefined;
  if (majorOf(q.parent) !== 0) return { verb, where: `parent ${q.parent}`, prelude: [] };
  return {
    verb: 'replace',
    where: `parent 1:${m[2]}`,
    prelude: [`tc qdisc replace dev ${shellQuote(dev)} root handle 1: mq`],
  };
}

// `pfifo 11: (parent 10:1)`.
export function qdiscName(q: Qdisc): string {
  const where =
    q.parent === undefined ? '' : q.parent === 'root' ? ' (root)' : ` (parent ${q.parent})`;
  return `${q.kind} ${q.handle}${where}`;
}

// The device must be a name the kernel accepts before it goes into a command (a host sends it).
// `txqueuelen`: the device's, when the snapshot has it (pfifo_fast's limit).
export function qdiscFix(c: QdiscCase, dev: string | undefined, txqueuelen?: number): QdiscFix {
  const usable = dev !== undefined && isValidIfaceName(dev) ? dev : undefined;
  const fix = c.own ? ownDrops(c, usable) : byKind(c, usable, txqueuelen);
  if (c.shapedBy && !c.own) underShaper(fix, c.q, c.shapedBy);
  if (usable === undefined) {
    fix.prelude = [];
    fix.commands = [];
    fix.persistent = [];
    fix.checks = ['tc -s qdisc show'];
  }
  return fix;
}

// A queue under a shaper fills because the shaper lets only its rate through: the sender is
// faster than that rate. A longer queue absorbs bursts but delays every packet behind it.
function underShaper(fix: QdiscFix, q: Qdisc, shaper: Qdisc): void {
  const rate = optionWord(shaper.options, 'rate');
  const bits = rateBits(rate);
  const to = bits === undefined ? "its classes' rates" : `rate ${rate}`;
  fix.cause += ` It sits under ${qdiscName(shaper)}, which holds traffic to ${to}: the queue fills because the sender is faster than that.`;
  fix.summary = `${qdiscName(q)} fills because ${qdiscName(shaper)} above it holds traffic to ${to}: if that is a deliberate cap, pace the sender to it; otherwise raise it. ${fix.summary}`;
  if (bits !== undefined && fix.queueBytes !== undefined) {
    const sec = (fix.queueBytes * 8) / bits;
    fix.caveats.unshift(
      `At ${rate}, the proposed queue holds up to ${sec >= 1 ? `${Number(sec.toFixed(1))} s` : `${Math.round(sec * 1000)} ms`} of full-size packets: every packet behind them waits that long.`,
    );
  }
}

const RATE_UNITS: Record<string, number> = { '': 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12 };

// tc prints rates in SI units (`1Mbit` is 10^6 bit/s).
function rateBits(word: string | undefined): number | undefined {
  const m = isRate(word) ? /^([\d.]+)([KMGT]?)bit$/.exec(word) : null;
  return m ? Number(m[1]) * RATE_UNITS[m[2]!]! : undefined;
}

function byKind(c: QdiscCase, dev: string | undefined, txqueuelen?: number): QdiscFix {
  switch (c.q.kind) {
    case 'pfifo':
    case 'pfifo_head_drop':
    case 'bfifo':
      return fifo(c, dev);
    case 'pfifo_fast':
      return pfifoFast(c, dev, txqueuelen);
    case 'fq_codel':
    case 'codel':
      return codel(c, dev);
    case 'fq':
      return fq(c, dev);
    case 'tbf':
      return tbf(c, dev);
    case 'htb':
      return htb(c, dev);
    default:
      return generic(c, dev);
  }
}

function empty(cause: string, short: string, summary: string, dev: string | undefined): QdiscFix {
  return {
    cause,
    short,
    summary,
    prelude: [],
    commands: [],
    checks: dev === undefined ? [] : [`tc -s qdisc show dev ${shellQuote(dev)}`],
    persistent: [],
    caveats: [],
    config: [],
  };
}

// `qdisc pfifo 11: dev dkqd0 parent 10:1 limit` = `5p`, named like its counters.
function config(c: QdiscCase, name: string, word: string): Evidence {
  const q = c.q;
  const on = q.dev === undefined ? '' : ` dev ${q.dev}`;
  const where = q.parent === undefined ? '' : q.parent === 'root' ? ' root' : ` parent ${q.parent}`;
  return configEvidence(`qdisc ${q.kind} ${q.handle}${on}${where} ${name}`, word);
}

// `tc qdisc change dev eth0 parent 10:1 pfifo limit 1000`, or nothing when tc cannot reach it.
function tcCommand(fix: QdiscFix, c: QdiscCase, dev: string | undefined, params: string): void {
  const a = dev === undefined ? undefined : address(dev, c.q);
  if (!a || dev === undefined) return;
  fix.prelude.push(...a.prelude);
  fix.commands.push(`tc qdisc ${a.verb} dev ${shellQuote(dev)} ${a.where} ${c.q.kind} ${params}`);
  if (a.prelude.length) fix.caveats.push(MQ_CAVEAT);
  fix.caveats.push(TC_CAVEAT);
}

// pfifo, pfifo_head_drop (packets) and bfifo (bytes): a full queue is the only reason they drop.
function fifo(c: QdiscCase, dev: string | undefined): QdiscFix {
  const word = optionWord(c.q.options, 'limit');
  const bytes = c.q.kind === 'bfifo';
  const current = bytes ? parseSize(word) : parsePackets(word);
  const which = c.q.kind === 'pfifo_head_drop' ? ' (it drops the oldest packet)' : '';
  const cause = `${qdiscName(c.q)} was full${word === undefined ? '' : ` (limit ${word})`}${which}: ${packets(c.drops)} dropped.`;
  const short = word === undefined ? 'queue full' : `limit ${word} reached`;
  if (current === undefined) {
    return empty(cause, short, `Raise the limit of ${qdiscName(c.q)}.`, dev);
  }
  const target = bytes ? fifoBytesTarget(current) : fifoPacketsTarget(current);
  if (target === undefined) {
    const fix = empty(cause, short, atCap(c.q, word ?? ''), dev);
    fix.config.push(config(c, 'limit', word ?? ''));
    return fix;
  }
  const shown = bytes ? formatSize(target) : String(target);
  const fix = empty(
    cause,
    short,
    `Raise the limit of ${qdiscName(c.q)} from ${word} to ${shown}.`,
    dev,
  );
  fix.config.push(config(c, 'limit', word ?? ''));
  fix.queueBytes = bytes ? target : target * 1514;
  tcCommand(fix, c, dev, `limit ${shown}`);
  return fix;
}

function atCap(q: Qdisc, setting: string): string {
  return `${qdiscName(q)} already allows ${setting}: a longer queue only adds delay. The device cannot send as fast as packets arrive: pace the sender or shape it below the link rate.`;
}

// pfifo_fast has no limit of its own: each TX queue's holds txqueuelen packets. The
// snapshot has the device's from ip link (`qlen`); without it, the check says where to read it.
function pfifoFast(c: QdiscCase, dev: string | undefined, txqueuelen?: number): QdiscFix {
  const held =
    txqueuelen === undefined
      ? 'txqueuelen packets (1000 unless set)'
      : `${packets(BigInt(txqueuelen))} (txqueuelen ${txqueuelen})`;
  const cause = `${qdiscName(c.q)} holds at most ${held} and was full: ${packets(c.drops)} dropped.`;
  if (txqueuelen !== undefined && txqueuelen >= TXQUEUELEN_TARGET)
    return empty(cause, 'txqueuelen reached', atCap(c.q, `txqueuelen ${txqueuelen}`), dev);
  const from = txqueuelen === undefined ? '' : ` from ${txqueuelen}`;
  const fix = empty(
    cause,
    'txqueuelen reached',
    `Raise the txqueuelen of ${dev ?? 'the device'}${from} to ${TXQUEUELEN_TARGET}; pfifo_fast takes the new length at once.`,
    dev,
  );
  if (dev === undefined) return fix;
  const d = shellQuote(dev);
  fix.commands.push(`ip link set dev ${d} txqueuelen ${TXQUEUELEN_TARGET}`);
  fix.checks.push(`ip link show dev ${d}`);
  // udev reads quotes and globs in a KERNEL match: only plain names get a rule.
  if (/^[A-Za-z0-9_.@-]+$/.test(dev)) {
    fix.persistent.push(
      `ACTION=="add", SUBSYSTEM=="net", KERNEL=="${dev}", ATTR{tx_queue_len}="${TXQUEUELEN_TARGET}"`,
    );
  }
  if (txqueuelen === undefined)
    fix.caveats.push(
      `txqueuelen was not collected: \`ip link show dev ${d}\` prints it as qlen; if it is ${TXQUEUELEN_TARGET} already, pace the sender instead.`,
    );
  return fix;
}

// fq_codel and codel drop for two reasons: the queue reached `limit` (or fq_codel's
// `memory_limit`), counted in drop_overlimit (drop_overmemory for the memory part), or codel
// dropped a packet that had waited longer than `target` for an `interval`: its AQM, by design.
// `drops` counts both.
function codel(c: QdiscCase, dev: string | undefined): QdiscFix {
  const name = qdiscName(c.q);
  const o = c.q.options;
  const limitWord = optionWord(o, 'limit');
  const memoryWord = optionWord(o, 'memory_limit');
  const overlimit = c.stats === undefined ? undefined : getOwn(c.stats, 'drop_overlimit');
  if (overlimit === undefined) {
    return empty(
      `${name} dropped ${packets(c.drops)}; tc printed no ${c.q.kind} statistics, so they may be limit drops or codel's AQM drops.`,
      'drops',
      `Read drop_overlimit of ${name} (tc -s qdisc show): limit drops need a longer limit, AQM drops do not.`,
      dev,
    );
  }
  const overLimit = minBig(overlimit, c.drops);
  const memory = minBig(getOwn(c.stats ?? {}, 'drop_overmemory') ?? 0n, overLimit);
  const byLimit = overLimit - memory;
  const aqm = c.drops - overLimit;
  const parts: string[] = [];
  const params: string[] = [];
  const summaries: string[] = [];
  const fix = empty('', '', '', dev);
  if (memory > 0n) {
    parts.push(
      `${count(memory)} because its memory_limit ${memoryWord ?? ''} was reached (drop_overmemory)`,
    );
    const target = fqCodelMemoryTarget(parseSize(memoryWord));
    if (memoryWord !== undefined) fix.config.push(config(c, 'memory_limit', memoryWord));
    if (target !== undefined && parseSize(memoryWord) !== undefined) {
      params.push(`memory_limit ${formatSize(target)}`);
      summaries.push(`memory_limit from ${memoryWord} to ${formatSize(target)}`);
    }
  }
  if (byLimit > 0n) {
    parts.push(
      `${count(byLimit)} because its limit ${limitWord ?? ''} was reached (drop_overlimit)`,
    );
    const current = parsePackets(limitWord);
    const target = c.q.kind === 'codel' ? fifoPacketsTarget(current) : fqCodelLimitTarget(current);
    if (limitWord !== undefined) fix.config.push(config(c, 'limit', limitWord));
    if (target !== undefined && current !== undefined) {
      params.push(`limit ${target}`);
      summaries.push(`limit from ${limitWord} to ${target}`);
      fix.queueBytes = target * 1514;
    }
  }
  if (aqm > 0n) {
    const target = optionWord(o, 'target');
    const interval = optionWord(o, 'interval');
    parts.push(
      `${count(aqm)} by codel itself (AQM): packets that had waited longer than target ${target ?? '?'} for at least interval ${interval ?? '?'}`,
    );
  }
  fix.cause = `${name} dropped ${packets(c.drops)}: ${parts.join('; ')}.${aqm > 0n ? ` The AQM drops are by design: they tell TCP senders to slow down, and no longer queue avoids them${/(?:^|\s)ecn(?:\s|$)/.test(o) ? '' : `; \`ecn\` (off here) would mark ECN-capable TCP flows instead of dropping`}.` : ''}`;
  fix.short =
    memory > 0n
      ? `memory_limit ${memoryWord ?? ''} reached`
      : byLimit > 0n
        ? `limit ${limitWord ?? ''} reached`
        : 'codel AQM drops, by design';
  if (params.length) {
    fix.summary = `Raise ${name}'s ${summaries.join(' and ')}.`;
    tcCommand(fix, c, dev, params.join(' '));
  } else if (memory > 0n || byLimit > 0n) {
    fix.summary = atCap(c.q, [limitWord, memoryWord].filter((w) => w).join(' / '));
  } else {
    fix.summary = `${name}'s drops are its AQM at work, not a full queue: no limit change avoids them. If this loss matters (UDP bursts, a bulk flow that is not latency-sensitive), pace or shape the sender below the link rate.`;
  }
  return fix;
}

function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

// fq drops a packet when the whole qdisc holds `limit` packets, when its flow holds
// `flow_limit` (counted in flows_plimit), or when its timestamp is beyond the `horizon`.
function fq(c: QdiscCase, dev: string | undefined): QdiscFix {
  const name = qdiscName(c.q);
  const limitWord = optionWord(c.q.options, 'limit');
  const flowWord = optionWord(c.q.options, 'flow_limit');
  const plimit = c.stats === undefined ? undefined : getOwn(c.stats, 'flows_plimit');
  if (plimit === undefined) {
    return empty(
      `${name} dropped ${packets(c.drops)}; tc printed no fq statistics, so the flow_limit share is unknown.`,
      'drops',
      `Read flows_plimit of ${name} (tc -s qdisc show): it counts the drops of flows over flow_limit ${flowWord ?? ''}.`,
      dev,
    );
  }
  const perFlow = minBig(plimit, c.drops);
  const rest = c.drops - perFlow;
  const fix = empty('', '', '', dev);
  const parts: string[] = [];
  const params: string[] = [];
  const summaries: string[] = [];
  if (perFlow > 0n) {
    parts.push(
      `${count(perFlow)} because one flow held flow_limit ${flowWord ?? ''} packets (flows_plimit)`,
    );
    const current = parsePackets(flowWord);
    const target = fqFlowLimitTarget(current);
    if (flowWord !== undefined) fix.config.push(config(c, 'flow_limit', flowWord));
    if (target !== undefined && current !== undefined) {
      params.push(`flow_limit ${target}`);
      summaries.push(`flow_limit from ${flowWord} to ${target}`);
    }
  }
  if (rest > 0n) {
    parts.push(
      `${count(rest)} because the qdisc held limit ${limitWord ?? ''} packets, or a packet was timed beyond its horizon`,
    );
    const current = parsePackets(limitWord);
    const target = fqLimitTarget(current);
    if (limitWord !== undefined) fix.config.push(config(c, 'limit', limitWord));
    if (target !== undefined && current !== undefined) {
      params.push(`limit ${target}`);
      summaries.push(`limit from ${limitWord} to ${target}`);
    }
  }
  fix.cause = `${name} dropped ${packets(c.drops)}: ${parts.join('; ')}.`;
  fix.short =
    perFlow > 0n ? `flow_limit ${flowWord ?? ''} reached` : `limit ${limitWord ?? ''} reached`;
  if (params.length) {
    fix.summary = `Raise ${name}'s ${summaries.join(' and ')}.`;
    tcCommand(fix, c, dev, params.join(' '));
  } else {
    fix.summary = atCap(c.q, [flowWord, limitWord].filter((w) => w).join(' / '));
  }
  return fix;
}

// tbf lets packets through at `rate` (with `burst` bytes of credit) and drops those that would
// wait for tokens longer than `lat` (its queue is rate × latency).
function tbf(c: QdiscCase, dev: string | undefined): QdiscFix {
  const name = qdiscName(c.q);
  const rate = optionWord(c.q.options, 'rate');
  const burst = optionWord(c.q.options, 'burst');
  const lat = optionWord(c.q.options, 'lat');
  const cause = `${name} shapes to rate ${rate ?? '?'} (burst ${burst ?? '?'}) and dropped ${packets(c.drops)} that would have waited longer than ${lat ?? 'its latency'} for it.`;
  const fix = empty(
    cause,
    `rate ${rate ?? '?'} exceeded`,
    `If rate ${rate ?? '?'} is a deliberate cap, these drops are the cap at work: pace the sender to it. Otherwise raise the rate, or let packets wait longer.`,
    dev,
  );
  for (const [k, v] of [
    ['rate', rate],
    ['burst', burst],
    ['lat', lat],
  ] as const) {
    if (v !== undefined) fix.config.push(config(c, k, v));
  }
  const target = tbfLatencyTarget(parseTimeUs(lat));
  if (target === undefined || !isRate(rate) || parseSize(burst) === undefined) return fix;
  fix.summary = `If rate ${rate} is a deliberate cap, these drops are the cap at work: pace the sender to it. Otherwise raise the rate, or let packets wait longer: latency from ${lat} to ${formatTime(target)} (tc needs rate and burst again).`;
  tcCommand(fix, c, dev, `rate ${rate} burst ${burst} latency ${formatTime(target)}`);
  return fix;
}

// htb with no qdisc shown under it: its leaf classes queue in default pfifo qdiscs that tc does
// not list (each as long as txqueuelen was when the class was made), and unclassified packets
// in its direct queue (direct_qlen).
function htb(c: QdiscCase, dev: string | undefined): QdiscFix {
  const direct = optionWord(c.q.options, 'direct_qlen');
  const fix = empty(
    `${qdiscName(c.q)} dropped ${packets(c.drops)}: a leaf class's default queue (txqueuelen packets when the class was made) or its direct queue for unclassified packets${direct === undefined ? '' : ` (direct_qlen ${direct})`} was full.`,
    'class queue full',
    'Find the class that drops (tc -s class show) and give it a longer queue of its own: tc qdisc add dev <if> parent <classid> fq_codel (or pfifo limit 1000).',
    dev,
  );
  if (dev !== undefined) fix.checks.push(`tc -s class show dev ${shellQuote(dev)}`);
  return fix;
}

function ownDrops(c: QdiscCase, dev: string | undefined): QdiscFix {
  const fix = empty(
    `${qdiscName(c.q)} itself dropped ${packets(c.drops)} beyond what the qdiscs under it count: packets it could not classify and queue (htb's direct queue), or a filter's drop verdict.`,
    'its own drops',
    `Check ${qdiscName(c.q)}'s classes and filters: unclassified traffic, a full direct queue or a drop action.`,
    dev,
  );
  if (dev !== undefined) {
    fix.checks.push(
      `tc -s class show dev ${shellQuote(dev)}`,
      `tc -s filter show dev ${shellQuote(dev)}`,
    );
  }
  return fix;
}

function generic(c: QdiscCase, dev: string | undefined): QdiscFix {
  const opts = c.q.options === '' ? '' : ` (${c.q.options})`;
  return empty(
    `${qdiscName(c.q)}${opts} dropped ${packets(c.drops)}.`,
    'drops',
    `Raise the limit ${qdiscName(c.q)} reached (see tc-${c.q.kind}(8)), or pace the sender.`,
    dev,
  );
}
