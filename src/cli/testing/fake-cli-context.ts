import type { CliContext } from '../command.js';
import type { ControlPlaneOptions, NodeJoinOptions, RunningControlPlane, RunningNode } from '../control-plane.js';

/** A CliContext that records output and start calls, and stops when told to. */
export interface FakeCliContext extends CliContext {
  stdout(): string;
  stderr(): string;
  started: ControlPlaneOptions[];
  joined: NodeJoinOptions[];
  closed(): number;
  /** Delivers a stop signal to a command waiting in io.waitForStop(). */
  stop(signal?: string): void;
  /** Resolves once the command calls io.waitForStop() (it is up and waiting). */
  waiting: Promise<void>;
}

export function newFakeCliContext(opts: { uid?: number; home?: string; startError?: Error } = {}): FakeCliContext {
  let out = '';
  let err = '';
  let closes = 0;
  const started: ControlPlaneOptions[] = [];
  const joined: NodeJoinOptions[] = [];
  let deliver: ((signal: string) => void) | undefined;
  const stopped = new Promise<string>((resolve) => {
    deliver = resolve;
  });
  let markWaiting: () => void = () => undefined;
  const waiting = new Promise<void>((resolve) => {
    markWaiting = resolve;
  });
  return {
    io: {
      out: (t) => void (out += t),
      err: (t) => void (err += t),
      waitForStop: () => {
        markWaiting();
        return stopped;
      },
      uid: opts.uid ?? 1000,
      home: opts.home ?? '/home/someone',
    },
    wiring: {
      version: { podbay: '9.9.9', kubernetes: 'v1.32.4', node: 'v20.0.0' },
      defaultRuntime: 'sim',
      joinNode(o: NodeJoinOptions): Promise<RunningNode> {
        joined.push(o);
        if (opts.startError) {
          return Promise.reject(opts.startError);
        }
        return Promise.resolve({
          nodeName: o.nodeName,
          close: () => {
            closes++;
            return Promise.resolve();
          },
        });
      },
      startControlPlane(o: ControlPlaneOptions): Promise<RunningControlPlane> {
        started.push(o);
        if (opts.startError) {
          return Promise.reject(opts.startError);
        }
        return Promise.resolve({
          url: `https://${o.host}:${o.port}`,
          caCertPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
          caCertPath: `${o.dataDir}/pki/ca.crt`,
          nodeNames: o.runtime === 'none' ? [] : Array.from({ length: o.simNodes }, (_, i) => `sim-${i + 1}`),
          token: 'secret-token',
          close: () => {
            closes++;
            return Promise.resolve();
          },
        });
      },
    },
    stdout: () => out,
    stderr: () => err,
    started,
    joined,
    closed: () => closes,
    stop: (signal = 'SIGTERM') => deliver?.(signal),
    waiting,
  };
}
