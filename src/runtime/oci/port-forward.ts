// One TCP connection to 127.0.0.1:<port> inside a pod's network namespace
// (CRI PortForward; containerd does the same with a netns-entered dial).
// Node cannot enter a namespace itself, so a small Node process started by
// `nsenter --net=<netns>` connects and pipes the socket to its stdio; it
// reports on fd 3 whether the connection was made, so a refused connection
// is an 'Unavailable' error and not an empty stream.
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { RuntimeError } from '../runtime.js';
import type { ByteSink } from '../runtime.js';

const DIALER = `
const net = require('net'), fs = require('fs');
const s = net.connect(Number(process.argv[1]), '127.0.0.1');
s.on('connect', () => { fs.writeSync(3, 'ok\\n'); process.stdin.pipe(s); s.pipe(process.stdout); });
s.on('error', (e) => { try { fs.writeSync(3, 'error ' + (e.code || e.message) + '\\n'); } catch {} process.exit(1); });
`;

/** Connects and resolves with the sink towards the pod; bytes from the pod go to toClient. */
export function openPortForward(netnsPath: string | undefined, port: number, toClient: ByteSink): Promise<ByteSink> {
  const nodeArgs = ['-e', DIALER, String(port)];
  const [file, args] = netnsPath
    ? ['nsenter', [`--net=${netnsPath}`, process.execPath, ...nodeArgs]]
    : [process.execPath, nodeArgs];
  const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'ignore', 'pipe'] });
  const status = child.stdio[3] as Readable;
  const stdin = child.stdin!;
  const stdout = child.stdout!;
  return new Promise((resolve, reject) => {
    let answered = false;
    let buf = '';
    status.setEncoding('utf8').on('data', (d: string) => {
      buf += d;
      if (answered || !buf.includes('\n')) {
        return;
      }
      answered = true;
      status.destroy();
      if (buf.startsWith('ok')) {
        stdout.on('data', (b: Uint8Array) => toClient.write(b));
        stdout.on('end', () => toClient.end());
        resolve({
          write: (chunk: Uint8Array) => {
            if (!stdin.destroyed) {
              stdin.write(Uint8Array.from(chunk));
            }
          },
          end: () => stdin.end(),
        });
      } else {
        reject(new RuntimeError('Unavailable', `port-forward to port ${port}: ${buf.trim()}`));
      }
    });
    stdin.on('error', () => undefined);
    child.on('error', (e) => {
      if (!answered) {
        answered = true;
        reject(new RuntimeError('Unknown', `port-forward: ${e.message}`));
      }
    });
    child.on('close', () => {
      if (!answered) {
        answered = true;
        reject(new RuntimeError('Unavailable', `port-forward to port ${port}: the dialer exited`));
      }
      toClient.end();
    });
  });
}
