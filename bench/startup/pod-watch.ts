// One long watch on the Pods of a namespace, over HTTPS with podbay's CA and token, that
// notes when each Pod is first seen Ready and when it is DELETED (performance.now() at the
// event's arrival). bench/startup times kubectl against these marks.
import { request } from 'node:https';
import type { ClientRequest } from 'node:http';
import { performance } from 'node:perf_hooks';

interface WatchEvent {
  type: string;
  object: {
    metadata?: { name?: string; resourceVersion?: string };
    status?: { conditions?: { type: string; status: string }[] };
  };
}

type Waiter = { resolve: (t: number) => void; reject: (e: Error) => void };

export class PodWatch {
  private req: ClientRequest | undefined;
  private readonly ready = new Map<string, number>();
  private readonly deleted = new Map<string, number>();
  private readonly readyWaiters = new Map<string, Waiter>();
  private readonly deletedWaiters = new Map<string, Waiter>();

  constructor(
    private readonly url: string,
    private readonly caCertPem: string,
    private readonly token: string,
    private readonly namespace = 'default',
  ) {}

  /** Opens the watch; resolves once the server has answered with its headers. */
  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const req = request(
        `${this.url}/api/v1/namespaces/${this.namespace}/pods?watch=true`,
        { ca: this.caCertPem, headers: { authorization: `Bearer ${this.token}` } },
        (res) => {
          if (res.statusCode !== 200) {
            reject(new Error(`watch answered ${String(res.statusCode)}`));
            return;
          }
          let buf = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            buf += c;
            let nl: number;
            while ((nl = buf.indexOf('\n')) >= 0) {
              const line = buf.slice(0, nl);
              buf = buf.slice(nl + 1);
              if (line.trim()) {
                this.onEvent(JSON.parse(line) as WatchEvent, performance.now());
              }
            }
          });
          resolve();
        },
      );
      req.on('error', (e) => (this.req ? undefined : reject(e)));
      req.end();
      this.req = req;
    });
  }

  private onEvent(ev: WatchEvent, t: number): void {
    const name = ev.object.metadata?.name ?? '';
    if (ev.type === 'DELETED') {
      this.deleted.set(name, t);
      this.deletedWaiters.get(name)?.resolve(t);
      this.deletedWaiters.delete(name);
      return;
    }
    const isReady = ev.object.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
    if (isReady && !this.ready.has(name)) {
      this.ready.set(name, t);
      this.readyWaiters.get(name)?.resolve(t);
      this.readyWaiters.delete(name);
    }
  }

  private wait(
    marks: Map<string, number>,
    waiters: Map<string, Waiter>,
    name: string,
    timeoutMs: number,
    what: string,
  ): Promise<number> {
    const t = marks.get(name);
    if (t !== undefined) {
      return Promise.resolve(t);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(name);
        reject(new Error(`pod ${name} not ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.set(name, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject,
      });
    });
  }

  /** performance.now() at which the Pod was first seen Ready. */
  readyAt(name: string, timeoutMs = 60_000): Promise<number> {
    return this.wait(this.ready, this.readyWaiters, name, timeoutMs, 'Ready');
  }

  /** performance.now() at which the Pod's DELETED event arrived. */
  deletedAt(name: string, timeoutMs = 60_000): Promise<number> {
    return this.wait(this.deleted, this.deletedWaiters, name, timeoutMs, 'deleted');
  }

  stop(): void {
    this.req?.destroy();
  }
}
