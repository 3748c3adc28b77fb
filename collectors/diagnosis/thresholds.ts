// Noise floors and severity cut-offs. The engine must stay quiet on a healthy host.

// A counter that only ever counts lost packets (rx_missed_errors, rx_out_of_buffer, softnet
// dropped, tx_no_space, ENA *_allowance_exceeded) does not move on a healthy host, so one
// increment during a run is already a real drop worth reporting.
export const LOSS_MIN = 1n;

// rx_dropped / tx_dropped also count unknown-protocol and bad-VLAN frames (COUNTERS.md,
// RH-KB via netdata#988): a pod veth sees a few IPv6 router/neighbour solicitations, LLDP or
// multicast frames a minute. Alone, such a counter becomes a finding only above both floors;
// next to an unambiguous counter of the same class it is corroboration at any value. Unknown
// counters guessed from their name (`guess`) use the same floors.
export const AMBIGUOUS_MIN = 100n;
export const AMBIGUOUS_MIN_RATE = 1; // packets per second, when the interval is known

// time_squeeze is an event, not a drop: a handful during a busy run is ordinary scheduling.
// Ten or more is a pattern. With ring drops on the same host any squeeze is relevant (the
// softirq could not drain the ring in time).
export const SQUEEZE_MIN = 10n;

// A thousand lost packets in one run is enough to wreck TCP throughput (DESIGN.md: the ring
// drops were microbursts); fewer is a warning.
export const CRITICAL_MIN = 1000n;
