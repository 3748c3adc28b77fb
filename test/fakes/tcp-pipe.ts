// What `nc %h %p` does, in node (nc is not on every machine): stdin to the
// socket, the socket to stdout, and an exit when either side is done. Tests
// write it to a file and name it in a ProxyCommand; arguments after the port
// are ignored (a marker, to find the process afterwards).
export const TCP_PIPE = `
const net = require('node:net');
const s = net.connect(Number(process.argv[3]), process.argv[2]);
s.on('error', (e) => { process.stderr.write('pipe: ' + e.message + '\\n'); process.exit(1); });
process.stdin.pipe(s);
s.pipe(process.stdout);
s.on('close', () => process.exit(0));
`;
