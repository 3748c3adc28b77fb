import { DropkitError } from '../../kit/errors.js';
import type { Transport } from '../../kit/transport/types.js';
import { bareAddress, chooseServerAddress, type HostAddress } from './address.js';

export interface DataPlane {
  // Where the iperf3 client connects.
  serverAddress: string;
  senderIface: string;
  // Undefined when the address is not one the receiver listed (--server-address
  // behind NAT, say).
  receiverIface: string | undefined;
}

// The receiver's data-plane address (given, or the one the sender shares a
// subnet with), and the interfaces the traffic crosses on each side: the
// sender's is the one its route to that address names.
export async function dataPlane(
  sender: Transport,
  o: {
    serverAddress?: string;
    senderAddresses: HostAddress[];
    receiverAddresses: HostAddress[];
    senderSpec: string;
    receiverSpec: string;
    signal: AbortSignal;
  },
): Promise<DataPlane> {
  const addr =
    o.serverAddress ?? chosenAddress(o.senderAddresses, o.receiverAddresses, o.receiverSpec);
  const route = (
    await sender.exec({
      argv: ['ip', '-o', 'route', 'get', addr],
      timeoutMs: 5000,
      signal: o.signal,
      step: 'addresses',
    })
  ).stdout.toString();
  const dev = route.match(/\bdev (\S+)/)?.[1];
  if (!dev)
    throw new DropkitError({
      code: 'COMMAND_FAILED',
      message: `no route to ${addr}`,
      host: o.senderSpec,
      step: 'addresses',
      hint: 'check --server-address, or the routing between the hosts',
    });
  return {
    serverAddress: addr,
    senderIface: dev,
    receiverIface: o.receiverAddresses.find((x) => bareAddress(x) === addr)?.ifname,
  };
}

function chosenAddress(
  sender: HostAddress[],
  receiver: HostAddress[],
  receiverSpec: string,
): string {
  const c = chooseServerAddress(sender, receiver);
  if (!c)
    throw new DropkitError({
      code: 'COMMAND_FAILED',
      message: 'the receiver has no global address',
      host: receiverSpec,
      step: 'addresses',
      hint: 'give one with --server-address',
    });
  return bareAddress(c);
}
