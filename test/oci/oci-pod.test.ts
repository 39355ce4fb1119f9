// What makes the oci runtime's Pods real, beyond the shared conformance
// suite (issue 4 items 1–3): shared localhost, hostname and /etc files,
// shareProcessNamespace, OOMKilled, the process user and capabilities,
// termination messages, exits recorded while the agent is away, exec on a
// tty and port-forward. Every test ends with nothing left on the machine.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync, renameSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { isNotFound, isRuntimeError } from '../../src/runtime/runtime.js';
import type {
  ByteSink,
  ContainerConfig,
  ContainerStatus,
  NamespaceOptions,
  PodSandboxConfig,
  Runtime,
} from '../../src/runtime/runtime.js';
import { containerConfigFor, sandboxConfigFor } from '../../src/runtime/testing/runtime-builders.js';
import { BUSYBOX_REF, makeTestBed } from './oci-fixtures.js';
import type { OciTestBed } from './oci-fixtures.js';
import type { OciRuntime } from '../../src/runtime/oci/oci-runtime.js';

const SLEEP = ['sh', '-c', "trap 'exit 0' TERM; sleep 3600 & wait"];

interface Pod {
  rt: OciRuntime;
  bed: OciTestBed;
  sandboxId: string;
  config: PodSandboxConfig;
  run(name: string, command: string[], patch?: Partial<ContainerConfig>): Promise<string>;
}

let podSeq = 0;

/** Runs `fn` with a fresh runtime and one sandbox; fails if anything is left behind afterwards. */
async function withPod(
  fn: (pod: Pod) => Promise<void>,
  podPatch: Partial<PodSandboxConfig> | ((bed: OciTestBed) => Partial<PodSandboxConfig>) = {},
  ns: NamespaceOptions = { network: 'POD', pid: 'CONTAINER', ipc: 'POD' },
): Promise<void> {
  const bed = await makeTestBed();
  let left: string[] = [];
  try {
    const rt = await bed.open();
    await rt.pullImage({ image: BUSYBOX_REF });
    const config = sandboxConfigFor(`pod-${++podSeq}`, {
      logRoot: bed.logRoot,
      linux: { securityContext: { namespaceOptions: ns } },
      ...(typeof podPatch === 'function' ? podPatch(bed) : podPatch),
    });
    const sandboxId = await rt.runPodSandbox(config);
    const pod: Pod = {
      rt,
      bed,
      sandboxId,
      config,
      run: async (name, command, patch = {}) => {
        const cc = containerConfigFor(name, BUSYBOX_REF, command, patch);
        cc.linux.securityContext.namespaceOptions = ns;
        const id = await rt.createContainer(sandboxId, cc, config);
        await rt.startContainer(id);
        return id;
      },
    };
    await fn(pod);
  } finally {
    left = await bed.cleanup();
  }
  assert.deepEqual(left, [], 'nothing left behind');
}

async function waitExited(rt: Runtime, id: string, budgetMs = 15_000): Promise<ContainerStatus> {
  for (let spent = 0; spent < budgetMs; spent += 100) {
    const s = await rt.containerStatus(id);
    if (s.state === 'CONTAINER_EXITED') {
      return s;
    }
    await delay(100);
  }
  return assert.fail(`container ${id} did not exit within ${budgetMs}ms`);
}

/** execSync until it exits 0 (a server in the pod may still be starting). */
async function execUntilOk(rt: Runtime, id: string, cmd: string[], budgetMs = 10_000): Promise<string> {
  let last = '';
  for (let spent = 0; spent < budgetMs; spent += 200) {
    const r = await rt.execSync(id, cmd, 5000);
    if (r.exitCode === 0) {
      return r.stdout;
    }
    last = r.stderr;
    await delay(200);
  }
  return assert.fail(`${cmd.join(' ')} kept failing: ${last}`);
}

function collector(): ByteSink & { text(): string; ended: Promise<void> } {
  let s = '';
  let resolveEnded!: () => void;
  const ended = new Promise<void>((r) => (resolveEnded = r));
  const decoder = new TextDecoder();
  return {
    write: (c) => (s += decoder.decode(c, { stream: true })),
    end: () => resolveEnded(),
    text: () => s,
    ended,
  };
}

const HTTPD = ['sh', '-c', 'mkdir -p /www && echo hello-from-web > /www/index.html && exec httpd -f -p 8080 -h /www'];

describe('oci runtime: pods on runc', () => {
  test('containers of one pod share localhost: one serves a page, the other fetches it', () =>
    withPod(async (pod) => {
      await pod.run('web', HTTPD);
      const client = await pod.run('client', SLEEP);
      const page = await execUntilOk(pod.rt, client, ['wget', '-q', '-O-', 'http://127.0.0.1:8080/']);
      assert.equal(page, 'hello-from-web\n');
    }));

  test('the hostname is the pod hostname and /etc/hosts, /etc/resolv.conf are the pod’s', () =>
    withPod(
      async (pod) => {
        const id = await pod.run('app', SLEEP);
        assert.equal((await pod.rt.execSync(id, ['hostname'], 5000)).stdout, `${pod.config.hostname}\n`);
        const ip = (await pod.rt.podSandboxStatus(pod.sandboxId)).network.ip!;
        const hosts = (await pod.rt.execSync(id, ['cat', '/etc/hosts'], 5000)).stdout;
        assert.ok(hosts.startsWith('# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n'), hosts);
        assert.ok(hosts.endsWith(`${ip}\t${pod.config.hostname}\n`), hosts);
        assert.equal(
          (await pod.rt.execSync(id, ['cat', '/etc/resolv.conf'], 5000)).stdout,
          'search default.svc.cluster.local svc.cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n',
        );
        const env = (await pod.rt.execSync(id, ['env'], 5000)).stdout;
        assert.match(env, new RegExp(`^HOSTNAME=${pod.config.hostname}$`, 'm'));
      },
      {
        dnsConfig: {
          servers: ['10.96.0.10'],
          searches: ['default.svc.cluster.local', 'svc.cluster.local'],
          options: ['ndots:5'],
        },
      },
    ));

  test('a subdomain names the pod by its FQDN in /etc/hosts, and hostAliases follow', () =>
    withPod(
      async (pod) => {
        const id = await pod.run('app', SLEEP);
        const ip = (await pod.rt.podSandboxStatus(pod.sandboxId)).network.ip!;
        const hosts = (await pod.rt.execSync(id, ['cat', '/etc/hosts'], 5000)).stdout;
        assert.ok(
          hosts.includes(`${ip}\t${pod.config.hostname}.sub.default.svc.cluster.local\t${pod.config.hostname}\n`),
          hosts,
        );
        assert.ok(hosts.includes('10.1.2.3\tfoo.local\tbar.local\n'), hosts);
      },
      {
        domain: 'sub.default.svc.cluster.local',
        hostAliases: [{ ip: '10.1.2.3', hostnames: ['foo.local', 'bar.local'] }],
      },
    ));

  for (const shared of [true, false]) {
    test(`ps in one container ${shared ? 'sees' : 'does not see'} the other container’s processes when shareProcessNamespace is ${shared}`, () =>
      withPod(
        async (pod) => {
          await pod.run('sleeper', ['sh', '-c', 'exec sleep 3601']);
          const looker = await pod.run('looker', SLEEP);
          const ps = (await pod.rt.execSync(looker, ['ps', '-o', 'pid,args'], 5000)).stdout;
          assert.equal(ps.includes('sleep 3601'), shared, ps);
          const pid1 = (await pod.rt.execSync(looker, ['cat', '/proc/1/cmdline'], 5000)).stdout;
          assert.equal(pid1.includes('catatonit'), shared, `PID 1 is ${pid1}`);
        },
        {},
        { network: 'POD', pid: shared ? 'POD' : 'CONTAINER', ipc: 'POD' },
      ));
  }

  test('a container over its memory limit is OOMKilled with exit code 137', () =>
    withPod(async (pod) => {
      const id = await pod.run('hog', ['tail', '/dev/zero'], {
        linux: {
          resources: { memoryLimitInBytes: 16 * 1024 * 1024 },
          securityContext: { namespaceOptions: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } },
        },
      });
      const s = await waitExited(pod.rt, id, 30_000);
      assert.equal(s.exitCode, 137);
      assert.equal(s.reason, 'OOMKilled');
      // conmon drops its OOM marker in its working directory: the bundle, not the agent's cwd.
      assert.ok(existsSync(join(pod.bed.dataDir, 'containers', id, 'oom')), 'oom marker in the bundle');
    }));

  test('a container killed by SIGKILL without a memory limit is Error 137, not OOMKilled', () =>
    withPod(async (pod) => {
      const id = await pod.run('app', SLEEP);
      await pod.rt.stopContainer(id, 0);
      const s = await waitExited(pod.rt, id);
      assert.equal(s.exitCode, 137);
      assert.equal(s.reason, 'Error');
    }));

  test('the termination message file is read when the container exits', () =>
    withPod(async (pod) => {
      const id = await pod.run('app', ['sh', '-c', 'echo -n bye > /dev/termination-log; exit 1']);
      const s = await waitExited(pod.rt, id);
      assert.equal(s.terminationMessage, 'bye');
      assert.equal(s.exitCode, 1);
      const custom = await pod.run('custom', ['sh', '-c', 'echo -n custom > /tmp/msg'], {
        terminationMessagePath: '/tmp/msg',
      });
      assert.equal((await waitExited(pod.rt, custom)).terminationMessage, 'custom');
    }));

  test('runAsUser, runAsGroup and supplementalGroups set the process identity', () =>
    withPod(async (pod) => {
      const id = await pod.run('app', SLEEP, {
        linux: {
          resources: {},
          securityContext: {
            namespaceOptions: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' },
            runAsUser: 1234,
            runAsGroup: 5678,
            supplementalGroups: [4000],
          },
        },
      });
      const out = (await pod.rt.execSync(id, ['sh', '-c', 'id -u; id -g; id -G'], 5000)).stdout;
      assert.deepEqual(out.trim().split('\n'), ['1234', '5678', '5678 4000']);
    }));

  test('a user name is resolved through the image’s /etc/passwd and /etc/group', () =>
    withPod(async (pod) => {
      const id = await pod.run('app', SLEEP, {
        linux: {
          resources: {},
          securityContext: {
            namespaceOptions: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' },
            runAsUsername: 'app',
          },
        },
      });
      const out = (await pod.rt.execSync(id, ['sh', '-c', 'id -u; id -g; id -G'], 5000)).stdout;
      assert.deepEqual(out.trim().split('\n'), ['1000', '1000', '1000 2000']);
    }));

  test('capabilities are the runtime default set, and drop ALL leaves none', () =>
    withPod(async (pod) => {
      const capEff = async (id: string): Promise<string> =>
        /CapEff:\s*(\w+)/.exec((await pod.rt.execSync(id, ['cat', '/proc/self/status'], 5000)).stdout)?.[1] ?? '';
      const def = await pod.run('default', SLEEP);
      // containerd's 14 default capabilities (chown … audit_write) as a mask.
      assert.equal(await capEff(def), '00000000a80425fb');
      const none = await pod.run('none', SLEEP, {
        linux: {
          resources: {},
          securityContext: {
            namespaceOptions: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' },
            capabilities: { add: [], drop: ['ALL'] },
          },
        },
      });
      assert.equal(await capEff(none), '0000000000000000');
    }));

  test('a read-only root filesystem refuses writes outside its volumes', () =>
    withPod(async (pod) => {
      const id = await pod.run('app', SLEEP, {
        linux: {
          resources: {},
          securityContext: { namespaceOptions: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' }, readonlyRootfs: true },
        },
      });
      const r = await pod.rt.execSync(id, ['touch', '/x'], 5000);
      assert.notEqual(r.exitCode, 0);
      assert.match(r.stderr, /Read-only file system/);
    }));

  test('a container keeps running when the runtime is reopened, and the new instance stops it', () =>
    withPod(async (pod) => {
      const id = await pod.run('app', SLEEP);
      pod.rt.close();
      const again = await pod.bed.open();
      const s = await again.containerStatus(id);
      assert.equal(s.state, 'CONTAINER_RUNNING');
      assert.equal(s.metadata.attempt, 0);
      assert.equal((await again.execSync(id, ['echo', 'still here'], 5000)).stdout, 'still here\n');
      await again.stopContainer(id, 10);
      assert.equal((await again.containerStatus(id)).exitCode, 0);
    }));

  test('an exit while the runtime is closed is recorded with its code and time on reopen', () =>
    withPod(async (pod) => {
      const id = await pod.run('app', ['sh', '-c', 'sleep 1; exit 5']);
      pod.rt.close();
      const started = (await pod.rt.containerStatus(id)).startedAt!;
      const exitFile = join(pod.bed.dataDir, 'run/oci/exits', id);
      for (let i = 0; i < 100 && !existsSync(exitFile); i++) {
        await delay(100);
      }
      // Reopened well after the exit: finishedAt must be the exit's time, not the reopen's.
      await delay(1500);
      const reopenedAt = Date.now();
      const again = await pod.bed.open();
      const s = await again.containerStatus(id);
      assert.equal(s.state, 'CONTAINER_EXITED');
      assert.equal(s.exitCode, 5);
      assert.equal(s.reason, 'Error');
      assert.ok(s.finishedAt! - started >= 1000, `ran ${s.finishedAt! - started}ms`);
      assert.ok(s.finishedAt! <= reopenedAt - 1000, 'finishedAt is when it exited');
    }));

  test('exec on a tty runs the command on a terminal and returns its exit code', () =>
    withPod(async (pod) => {
      const id = await pod.run('app', SLEEP);
      const out = collector();
      const session = await pod.rt.exec(id, ['sh', '-c', 'tty; exit 2'], { stdin: false, tty: true, stdout: out });
      assert.equal(await session.exit, 2);
      assert.match(out.text(), /\/dev\/pts\/\d+/);
    }));

  test('exec with stdin pipes input to the process', () =>
    withPod(async (pod) => {
      const id = await pod.run('app', SLEEP);
      const out = collector();
      const session = await pod.rt.exec(id, ['sh', '-c', 'read line; echo got:$line'], {
        stdin: true,
        tty: false,
        stdout: out,
      });
      session.stdin!.write(new TextEncoder().encode('ping\n'));
      session.stdin!.end();
      assert.equal(await session.exit, 0);
      assert.equal(out.text(), 'got:ping\n');
    }));

  test('port-forward opens a connection to a port on the pod’s localhost, and refuses a closed one', () =>
    withPod(async (pod) => {
      const web = await pod.run('web', HTTPD);
      await execUntilOk(pod.rt, web, ['wget', '-q', '-O-', 'http://127.0.0.1:8080/']);
      const fromPod = collector();
      const toPod = await pod.rt.portForward(pod.sandboxId, 8080, fromPod);
      toPod.write(new TextEncoder().encode('GET /index.html HTTP/1.0\r\n\r\n'));
      await fromPod.ended;
      assert.match(fromPod.text(), /^HTTP\/1\.[01] 200/);
      assert.match(fromPod.text(), /hello-from-web/);
      await assert.rejects(pod.rt.portForward(pod.sandboxId, 8081, collector()), (e) =>
        isRuntimeError(e, 'Unavailable'),
      );
    }));

  test('the probe transport reaches the pod IP from the host: HTTP answers, a closed TCP port is Unavailable', () =>
    withPod(async (pod) => {
      const web = await pod.run('web', HTTPD);
      await execUntilOk(pod.rt, web, ['wget', '-q', '-O-', 'http://127.0.0.1:8080/']);
      const ip = (await pod.rt.podSandboxStatus(pod.sandboxId)).network.ip!;
      const target = {
        podSandboxId: pod.sandboxId,
        containerId: web,
        containerName: 'web',
        probeType: 'readiness' as const,
      };
      const probes = pod.rt.probeTransport();
      const res = await probes.http(
        target,
        { scheme: 'HTTP', host: ip, port: 8080, path: '/index.html', headers: [] },
        5000,
      );
      assert.equal(res.statusCode, 200);
      assert.equal(res.body, 'hello-from-web\n');
      await probes.tcp(target, ip, 8080, 5000);
      await assert.rejects(probes.tcp(target, ip, 8081, 5000), (e) => isRuntimeError(e, 'Unavailable'));
      assert.equal((await probes.exec(target, ['sh', '-c', 'exit 7'], 5000)).exitCode, 7);
    }));

  test('attach sends stdin to the main process and streams its output until it exits', () =>
    withPod(async (pod) => {
      const id = await pod.run('app', ['sh', '-c', 'read line; echo got:$line; exit 4'], {
        stdin: true,
        stdinOnce: true,
      });
      const out = collector();
      const session = await pod.rt.attach(id, { stdin: true, tty: false, stdout: out });
      session.stdin!.write(new TextEncoder().encode('hello\n'));
      assert.equal(await session.exit, 4);
      assert.equal(out.text(), 'got:hello\n');
    }));

  test('attach without stdin follows the output; closing it detaches and leaves the container running', () =>
    withPod(async (pod) => {
      const id = await pod.run('app', ['sh', '-c', 'while true; do echo tick; sleep 0.2; done']);
      const out = collector();
      const session = await pod.rt.attach(id, { stdin: false, tty: false, stdout: out });
      for (let i = 0; i < 50 && !out.text().includes('tick'); i++) {
        await delay(100);
      }
      session.close();
      assert.equal(await session.exit, -1);
      assert.match(out.text(), /^(tick\n)+$/);
      assert.equal((await pod.rt.containerStatus(id)).state, 'CONTAINER_RUNNING');
    }));

  test('an interactive exec on a tty reads its input from the terminal (kubectl exec -it)', () =>
    withPod(async (pod) => {
      const id = await pod.run('app', SLEEP);
      const out = collector();
      const session = await pod.rt.exec(id, ['sh'], { stdin: true, tty: true, stdout: out });
      session.resize({ width: 100, height: 30 });
      session.stdin!.write(new TextEncoder().encode('stty size; exit 3\n'));
      assert.equal(await session.exit, 3);
      assert.match(out.text(), /30 100/);
    }));

  test('a hostNetwork pod uses the node’s network and hostname, with the host-network hosts file', () =>
    withPod(
      async (pod) => {
        const id = await pod.run('app', SLEEP);
        assert.equal((await pod.rt.execSync(id, ['hostname'], 5000)).stdout, `${hostname()}\n`);
        const hosts = (await pod.rt.execSync(id, ['cat', '/etc/hosts'], 5000)).stdout;
        assert.ok(hosts.startsWith('# Kubernetes-managed hosts file (host network).\n'), hosts);
        assert.equal(
          (await pod.rt.execSync(id, ['readlink', '/proc/self/ns/net'], 5000)).stdout.trim(),
          readlinkSync('/proc/self/ns/net'),
        );
        assert.match((await pod.rt.podSandboxStatus(pod.sandboxId)).network.ip ?? '', /^\d+\.\d+\.\d+\.\d+$/);
      },
      {},
      { network: 'NODE', pid: 'CONTAINER', ipc: 'POD' },
    ));

  test('a sandbox whose pause process dies becomes NOTREADY', () =>
    withPod(async (pod) => {
      const events: string[] = [];
      const unsubscribe = pod.rt.watchContainerEvents((e) => {
        if (e.containerId === pod.sandboxId) {
          events.push(e.type);
        }
      });
      const infraPid = Number(readFileSync(join(pod.bed.dataDir, 'containers', pod.sandboxId, 'pidfile'), 'utf8'));
      process.kill(infraPid, 'SIGKILL');
      for (let i = 0; i < 50 && (await pod.rt.podSandboxStatus(pod.sandboxId)).state === 'SANDBOX_READY'; i++) {
        await delay(100);
      }
      unsubscribe();
      assert.equal((await pod.rt.podSandboxStatus(pod.sandboxId)).state, 'SANDBOX_NOTREADY');
      assert.deepEqual(events, ['CONTAINER_STOPPED_EVENT']);
    }));

  test('a container without a record (an agent killed while creating it) is removed with its mount on reopen', () =>
    withPod(async (pod) => {
      const id = await pod.run('app', SLEEP);
      pod.rt.close();
      rmSync(join(pod.bed.dataDir, 'run/oci/containers', `${id}.json`));
      const again = await pod.bed.open();
      assert.ok(!readFileSync('/proc/mounts', 'utf8').includes(id), 'rootfs unmounted');
      assert.ok(!existsSync(join(pod.bed.dataDir, 'containers', id)), 'bundle removed');
      await assert.rejects(again.containerStatus(id), isNotFound);
      const runcList = execFileSync('runc', ['--root', join(pod.bed.dataDir, 'run/oci/runc'), 'list', '-q']).toString();
      assert.ok(!runcList.includes(id), 'runc no longer knows it');
    }));

  test('the pod cgroup goes under cgroupParent and the container’s memory limit, CPU quota and shares land in its cgroup', () =>
    withPod(
      async (pod) => {
        const id = await pod.run('app', SLEEP, {
          linux: {
            resources: { memoryLimitInBytes: 64 * 1024 * 1024, cpuQuota: 50000, cpuPeriod: 100000, cpuShares: 512 },
            securityContext: { namespaceOptions: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } },
          },
        });
        const parent = pod.config.linux.cgroupParent!;
        const read = (controller: string, file: string): string =>
          readFileSync(`/sys/fs/cgroup/${controller}${parent}/${id}/${file}`, 'utf8').trim();
        assert.equal(read('memory', 'memory.limit_in_bytes'), String(64 * 1024 * 1024));
        assert.equal(read('cpu', 'cpu.cfs_quota_us'), '50000');
        assert.equal(read('cpu', 'cpu.cfs_period_us'), '100000');
        assert.equal(read('cpu', 'cpu.shares'), '512');
        assert.ok((await pod.rt.containerStats(id)).memoryWorkingSetBytes > 0);
      },
      (bed) => ({
        linux: {
          cgroupParent: `${bed.cgroupRoot}/burstable/pod-cgroup-test`,
          securityContext: { namespaceOptions: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } },
        },
      }),
    ));

  test('reopening the log after a rotation makes conmon write to a new file at the log path', () =>
    withPod(async (pod) => {
      const id = await pod.run('app', ['sh', '-c', 'while true; do echo tick; sleep 0.1; done']);
      const { logPath } = await pod.rt.containerStatus(id);
      for (let i = 0; i < 50 && !existsSync(logPath); i++) {
        await delay(100);
      }
      renameSync(logPath, `${logPath}.1`);
      await pod.rt.reopenContainerLog(id);
      for (let i = 0; i < 50 && (await pod.rt.readContainerLog(id)).length === 0; i++) {
        await delay(100);
      }
      assert.ok((await pod.rt.readContainerLog(id)).every((e) => e.content === 'tick'));
      assert.ok((await pod.rt.readContainerLog(id)).length > 0, 'new lines in the new file');
      await pod.rt.stopContainer(id, 0);
      await assert.rejects(pod.rt.reopenContainerLog(id), (e) => isRuntimeError(e, 'FailedPrecondition'));
    }));

  test('namespaced sysctls of the pod apply to its containers', () =>
    withPod(
      async (pod) => {
        const id = await pod.run('app', SLEEP);
        const r = await pod.rt.execSync(id, ['cat', '/proc/sys/net/ipv4/ip_local_port_range'], 5000);
        assert.equal(r.stdout.trim().split(/\s+/).join(' '), '40000 50000');
      },
      (bed) => ({
        linux: {
          cgroupParent: `${bed.cgroupRoot}/pod-sysctl-test`,
          securityContext: { namespaceOptions: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } },
          sysctls: { 'net.ipv4.ip_local_port_range': '40000 50000' },
        },
      }),
    ));

  test('a tty container runs on a terminal and its output is logged', () =>
    withPod(async (pod) => {
      const id = await pod.run('app', ['sh', '-c', 'tty; echo done'], { tty: true });
      await waitExited(pod.rt, id);
      const lines = (await pod.rt.readContainerLog(id)).map((e) => e.content.replace(/\r$/, ''));
      assert.match(lines[0] ?? '', /^\/dev\/pts\/\d+$/);
      assert.equal(lines[1], 'done');
    }));

  test('a privileged container has every capability this process holds and the host’s devices', () =>
    withPod(async (pod) => {
      const id = await pod.run('app', SLEEP, {
        linux: {
          resources: {},
          securityContext: { namespaceOptions: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' }, privileged: true },
        },
      });
      const status = (await pod.rt.execSync(id, ['cat', '/proc/self/status'], 5000)).stdout;
      const own = /CapBnd:\s*(\w+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
      assert.equal(/CapEff:\s*(\w+)/.exec(status)?.[1], own);
      const mount = await pod.rt.execSync(id, ['sh', '-c', 'mkdir -p /mnt/t && mount -t tmpfs none /mnt/t'], 5000);
      assert.equal(mount.exitCode, 0, mount.stderr);
      assert.equal((await pod.rt.execSync(id, ['test', '-c', '/dev/null'], 5000)).exitCode, 0);
    }));

  for (const profile of ['RuntimeDefault', 'Unconfined'] as const) {
    test(`seccomp ${profile}: a new user namespace (unshare -U) is ${profile === 'RuntimeDefault' ? 'refused' : 'allowed'}`, () =>
      withPod(async (pod) => {
        const id = await pod.run('app', SLEEP, {
          linux: {
            resources: {},
            securityContext: {
              namespaceOptions: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' },
              seccomp: { type: profile },
            },
          },
        });
        const r = await pod.rt.execSync(id, ['unshare', '-U', 'true'], 5000);
        if (profile === 'RuntimeDefault') {
          assert.notEqual(r.exitCode, 0);
          assert.match(r.stderr, /Operation not permitted/);
        } else {
          assert.equal(r.exitCode, 0, r.stderr);
        }
        const status = (await pod.rt.execSync(id, ['cat', '/proc/self/status'], 5000)).stdout;
        assert.match(status, profile === 'RuntimeDefault' ? /^Seccomp:\s+2$/m : /^Seccomp:\s+0$/m);
      }));
  }

  test('concurrent removals of a sandbox share one run: both resolve, one DELETED event', () =>
    withPod(async (pod) => {
      const id = await pod.run('app', SLEEP);
      const deleted: string[] = [];
      const unsubscribe = pod.rt.watchContainerEvents((e) => {
        if (e.type === 'CONTAINER_DELETED_EVENT') {
          deleted.push(e.containerId);
        }
      });
      await Promise.all([pod.rt.removePodSandbox(pod.sandboxId), pod.rt.removePodSandbox(pod.sandboxId)]);
      unsubscribe();
      assert.deepEqual(deleted.sort(), [id, pod.sandboxId].sort());
    }));

  test('a container killed by the pod cgroup’s memory limit (none of its own) is OOMKilled too', () =>
    withPod(
      async (pod) => {
        const id = await pod.run('hog', ['tail', '/dev/zero']);
        const s = await waitExited(pod.rt, id, 30_000);
        assert.equal(s.exitCode, 137);
        assert.equal(s.reason, 'OOMKilled');
      },
      (bed) => ({
        linux: {
          cgroupParent: `${bed.cgroupRoot}/pod-limit-test`,
          securityContext: { namespaceOptions: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } },
          resources: { memoryLimitInBytes: 24 * 1024 * 1024 },
        },
      }),
    ));

  test('a container whose conmon died is RUNNING while runc runs it, and EXITED 255 Unknown once it stops', () =>
    withPod(async (pod) => {
      const id = await pod.run('app', SLEEP);
      const bundle = join(pod.bed.dataDir, 'containers', id);
      process.kill(Number(readFileSync(join(bundle, 'conmon.pid'), 'utf8')), 'SIGKILL');
      await delay(600);
      assert.equal((await pod.rt.containerStatus(id)).state, 'CONTAINER_RUNNING');
      execFileSync('runc', ['--root', join(pod.bed.dataDir, 'run/oci/runc'), 'kill', id, 'KILL']);
      const s = await waitExited(pod.rt, id);
      assert.equal(s.exitCode, 255);
      assert.equal(s.reason, 'Unknown');
    }));

  test('attach to a tty container resizes its terminal through conmon', () =>
    withPod(async (pod) => {
      const id = await pod.run('app', ['sh', '-c', 'read x; stty size'], { tty: true, stdin: true, stdinOnce: true });
      const out = collector();
      const session = await pod.rt.attach(id, { stdin: true, tty: true, stdout: out });
      session.resize({ width: 100, height: 30 });
      await delay(200);
      session.stdin!.write(new TextEncoder().encode('go\r'));
      assert.equal(await session.exit, 0);
      assert.match(out.text(), /30 100/);
    }));

  test('after everything died with podbay away (a reboot), the sandbox is NOTREADY and the container EXITED 255 Unknown', () =>
    withPod(async (pod) => {
      const id = await pod.run('app', SLEEP);
      pod.rt.close();
      const runcRoot = join(pod.bed.dataDir, 'run/oci/runc');
      for (const x of [pod.sandboxId, id]) {
        const bundle = join(pod.bed.dataDir, 'containers', x);
        process.kill(Number(readFileSync(join(bundle, 'conmon.pid'), 'utf8')), 'SIGKILL');
        execFileSync('runc', ['--root', runcRoot, 'kill', x, 'KILL']);
      }
      for (
        let i = 0;
        i < 50 && execFileSync('runc', ['--root', runcRoot, 'list']).toString().includes('running');
        i++
      ) {
        await delay(100);
      }
      const again = await pod.bed.open();
      assert.equal((await again.podSandboxStatus(pod.sandboxId)).state, 'SANDBOX_NOTREADY');
      const s = await again.containerStatus(id);
      assert.equal(s.state, 'CONTAINER_EXITED');
      assert.equal(s.exitCode, 255);
      assert.equal(s.reason, 'Unknown');
    }));

  test('closing an exec kills its process: exit 137, the container keeps running', () =>
    withPod(async (pod) => {
      const id = await pod.run('app', SLEEP);
      const out = collector();
      const session = await pod.rt.exec(id, ['sh', '-c', 'echo started; exec sleep 3602'], {
        stdin: false,
        tty: false,
        stdout: out,
      });
      for (let i = 0; i < 50 && !out.text().includes('started'); i++) {
        await delay(100);
      }
      session.close();
      assert.equal(await session.exit, 137);
      const ps = (await pod.rt.execSync(id, ['ps', '-o', 'args'], 5000)).stdout;
      assert.ok(!ps.includes('sleep 3602'), ps);
      assert.equal((await pod.rt.containerStatus(id)).state, 'CONTAINER_RUNNING');
    }));
});
