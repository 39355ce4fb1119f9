// Table-driven in the shape of kubelet's TestComputePodActions
// (k8s pkg/kubelet/kuberuntime/kuberuntime_manager_test.go): one base pod and
// runtime view per case, and the expected PodActions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/types/index.js';
import { computePodActions } from './actions.js';
import type { PodActions, ProbeView } from './actions.js';
import type { PodRuntimeStatus } from './runtime-pod-status.js';
import { exited, podWith, readySandbox, running, runtimeWith } from '../testing/builders.js';
import type { PodWithOptions } from '../testing/builders.js';

interface Case {
  pod?: PodWithOptions;
  mutate?: (p: Pod) => void;
  status: (p: Pod) => PodRuntimeStatus;
  probes?: Partial<ProbeView>;
  want: Partial<PodActions> & { kill?: string[] };
}

const NONE: Partial<PodActions> = {
  killPod: false,
  createSandbox: false,
  initContainersToStart: [],
  containersToStart: [],
};

const cases: Record<string, Case> = {
  'creates a sandbox and starts every container on the first sync': {
    pod: { containers: ['a', 'b'] },
    status: (p) => runtimeWith(p, [], []),
    want: { killPod: true, createSandbox: true, attempt: 0, containersToStart: [0, 1] },
  },
  'does nothing when every container runs': {
    status: (p) => runtimeWith(p, [running(p, 'app')]),
    want: NONE,
  },
  'starts a container that has no instance yet': {
    pod: { containers: ['a', 'b'] },
    status: (p) => runtimeWith(p, [running(p, 'a')]),
    want: { ...NONE, containersToStart: [1] },
  },
  'restarts an exited container when restartPolicy is Always, whatever its exit code': {
    pod: { containers: ['a', 'b'] },
    status: (p) => runtimeWith(p, [exited(p, 'a', 0), running(p, 'b')]),
    want: { ...NONE, containersToStart: [0] },
  },
  'restarts a failed container under OnFailure': {
    pod: { restartPolicy: 'OnFailure', containers: ['a', 'b'] },
    status: (p) => runtimeWith(p, [exited(p, 'a', 1), running(p, 'b')]),
    want: { ...NONE, containersToStart: [0] },
  },
  'does not restart a succeeded container under OnFailure': {
    pod: { restartPolicy: 'OnFailure', containers: ['a', 'b'] },
    status: (p) => runtimeWith(p, [exited(p, 'a', 0), running(p, 'b')]),
    want: NONE,
  },
  'never restarts under Never and keeps the pod while another container runs': {
    pod: { restartPolicy: 'Never', containers: ['a', 'b'] },
    status: (p) => runtimeWith(p, [exited(p, 'a', 1), running(p, 'b')]),
    want: NONE,
  },
  'kills the pod when every container exited under Never': {
    pod: { restartPolicy: 'Never', containers: ['a', 'b'] },
    status: (p) => runtimeWith(p, [exited(p, 'a', 1), exited(p, 'b', 0)]),
    want: { ...NONE, killPod: true, sandboxId: 'sb0' },
  },
  'kills the pod when every container succeeded under OnFailure': {
    pod: { restartPolicy: 'OnFailure' },
    status: (p) => runtimeWith(p, [exited(p, 'app', 0)]),
    want: { ...NONE, killPod: true },
  },
  'restarts a created container that never started': {
    status: (p) => runtimeWith(p, [running(p, 'app', { state: 'CONTAINER_CREATED' })]),
    want: { ...NONE, containersToStart: [0] },
  },
  'kills a container in unknown state before restarting it': {
    status: (p) => runtimeWith(p, [running(p, 'app', { state: 'CONTAINER_UNKNOWN', id: 'u1' })]),
    want: {
      ...NONE,
      containersToStart: [0],
      kill: ['u1:Container is in "unknown" state, try killing it before restart'],
    },
  },
  'kills and restarts a container that failed its liveness probe': {
    status: (p) => runtimeWith(p, [running(p, 'app', { id: 'x' })]),
    probes: { livenessFailed: (n) => n === 'app' },
    want: { ...NONE, containersToStart: [0], kill: ['x:Container app failed liveness probe, will be restarted'] },
  },
  'kills without restarting a container that failed its liveness probe under Never': {
    pod: { restartPolicy: 'Never' },
    status: (p) => runtimeWith(p, [running(p, 'app', { id: 'x' })]),
    probes: { livenessFailed: () => true },
    want: { killPod: true, containersToStart: [], kill: ['x:Container app failed liveness probe'] },
  },
  'kills and restarts a container that failed its startup probe': {
    status: (p) => runtimeWith(p, [running(p, 'app', { id: 'x' })]),
    probes: { startup: () => 'failure' },
    want: { ...NONE, containersToStart: [0], kill: ['x:Container app failed startup probe, will be restarted'] },
  },
  'restarts a running container whose spec changed, even under Never': {
    pod: { restartPolicy: 'Never' },
    status: (p) => runtimeWith(p, [running(p, 'app', { id: 'x', hash: 'old' })]),
    want: { ...NONE, containersToStart: [0], kill: ['x:Container app definition changed, will be restarted'] },
  },
  'recreates the sandbox with the next attempt when it stopped': {
    status: (p) => runtimeWith(p, [exited(p, 'app', 137)], [{ ...readySandbox(2), state: 'SANDBOX_NOTREADY' }]),
    want: { killPod: true, createSandbox: true, attempt: 3, sandboxId: 'sb2', containersToStart: [0] },
  },
  'recreates the sandbox when two are ready': {
    status: (p) => runtimeWith(p, [running(p, 'app')], [readySandbox(1), readySandbox(0)]),
    want: { killPod: true, createSandbox: true, attempt: 2, containersToStart: [0] },
  },
  'creates no new sandbox under Never once containers have run': {
    pod: { restartPolicy: 'Never' },
    status: (p) => runtimeWith(p, [exited(p, 'app', 0)], [{ ...readySandbox(0), state: 'SANDBOX_NOTREADY' }]),
    want: { killPod: true, createSandbox: false, containersToStart: [] },
  },
  'creates no new sandbox under OnFailure when every container succeeded': {
    pod: { restartPolicy: 'OnFailure' },
    status: (p) => runtimeWith(p, [exited(p, 'app', 0)], [{ ...readySandbox(0), state: 'SANDBOX_NOTREADY' }]),
    want: { killPod: true, createSandbox: false },
  },
  'restarts initialization from the first init container in a new sandbox': {
    pod: { initContainers: ['i1', 'i2'] },
    status: (p) =>
      runtimeWith(
        p,
        [running(p, 'app'), exited(p, 'i2', 0), exited(p, 'i1', 0)],
        [{ ...readySandbox(0), state: 'SANDBOX_NOTREADY' }],
      ),
    want: { killPod: true, createSandbox: true, attempt: 1, initContainersToStart: [0], containersToStart: [] },
  },
  'starts the first init container first': {
    pod: { initContainers: ['i1', 'i2'] },
    status: (p) => runtimeWith(p, []),
    want: { ...NONE, initContainersToStart: [0] },
  },
  'waits for a running init container': {
    pod: { initContainers: ['i1', 'i2'] },
    status: (p) => runtimeWith(p, [running(p, 'i1')]),
    want: NONE,
  },
  'starts the next init container once the previous one exited 0': {
    pod: { initContainers: ['i1', 'i2'] },
    status: (p) => runtimeWith(p, [exited(p, 'i1', 0)]),
    want: { ...NONE, initContainersToStart: [1] },
  },
  'starts the regular containers once the last init container exited 0': {
    pod: { initContainers: ['i1', 'i2'], containers: ['a', 'b'] },
    status: (p) => runtimeWith(p, [exited(p, 'i2', 0), exited(p, 'i1', 0)]),
    want: { ...NONE, containersToStart: [0, 1] },
  },
  'retries a failed init container under OnFailure': {
    pod: { restartPolicy: 'OnFailure', initContainers: ['i1'] },
    status: (p) => runtimeWith(p, [exited(p, 'i1', 1)]),
    want: { ...NONE, initContainersToStart: [0] },
  },
  'retries a failed init container under Always': {
    pod: { initContainers: ['i1', 'i2'] },
    status: (p) => runtimeWith(p, [exited(p, 'i2', 2), exited(p, 'i1', 0)]),
    want: { ...NONE, initContainersToStart: [1] },
  },
  'kills the pod when an init container fails under Never': {
    pod: { restartPolicy: 'Never', initContainers: ['i1'] },
    status: (p) => runtimeWith(p, [exited(p, 'i1', 1)]),
    want: { ...NONE, killPod: true },
  },
  'does not re-run finished init containers once a regular container runs': {
    pod: { initContainers: ['i1'] },
    status: (p) => runtimeWith(p, [running(p, 'app')]),
    want: NONE,
  },
  'starts the next init container after a sidecar without a startup probe runs': {
    pod: { sidecars: ['log'], initContainers: [] },
    mutate: (p) => p.spec.initContainers!.push({ name: 'i2', image: 'busybox:1.36' }),
    status: (p) => runtimeWith(p, [running(p, 'log')]),
    want: { ...NONE, initContainersToStart: [1] },
  },
  'waits for a sidecar whose startup probe has no result yet': {
    pod: { sidecars: [{ name: 'log', image: 'b', startupProbe: { exec: { command: ['true'] } } }] },
    status: (p) => runtimeWith(p, [running(p, 'log')]),
    probes: { startup: () => undefined },
    want: NONE,
  },
  'starts the regular containers once the last sidecar has started': {
    pod: { sidecars: [{ name: 'log', image: 'b', startupProbe: { exec: { command: ['true'] } } }] },
    status: (p) => runtimeWith(p, [running(p, 'log')]),
    probes: { startup: () => 'success' },
    want: { ...NONE, containersToStart: [0] },
  },
  'restarts a sidecar that failed its startup probe': {
    pod: { sidecars: [{ name: 'log', image: 'b', startupProbe: { exec: { command: ['true'] } } }] },
    status: (p) => runtimeWith(p, [running(p, 'log', { id: 's' })]),
    probes: { startup: () => 'failure' },
    want: { ...NONE, initContainersToStart: [0], kill: ['s:Init container log failed startup probe'] },
  },
  'restarts an exited sidecar even under Never': {
    pod: { restartPolicy: 'Never', sidecars: ['log'] },
    status: (p) => runtimeWith(p, [running(p, 'app'), exited(p, 'log', 0)]),
    want: { ...NONE, initContainersToStart: [0] },
  },
  'restarts a sidecar that failed its liveness probe': {
    pod: { sidecars: [{ name: 'log', image: 'b', livenessProbe: { exec: { command: ['true'] } } }] },
    status: (p) => runtimeWith(p, [running(p, 'app'), running(p, 'log', { id: 's' })]),
    probes: { livenessFailed: (n) => n === 'log' },
    want: { ...NONE, initContainersToStart: [0], kill: ['s:Init container log failed liveness probe'] },
  },
  'kills the pod, sidecars included, once the main containers are done under Never': {
    pod: { restartPolicy: 'Never', sidecars: ['log'] },
    status: (p) => runtimeWith(p, [exited(p, 'app', 0), running(p, 'log')]),
    want: { ...NONE, killPod: true, initContainersToStart: [] },
  },
  'kills a running sidecar once the main containers succeeded under OnFailure': {
    pod: { restartPolicy: 'OnFailure', sidecars: ['log'] },
    status: (p) => runtimeWith(p, [running(p, 'log'), exited(p, 'app', 0)]),
    want: { ...NONE, killPod: true, initContainersToStart: [] },
  },
  'restarts an exited sidecar first, as upstream, when no regular container runs any more': {
    pod: { restartPolicy: 'OnFailure', sidecars: ['log'] },
    status: (p) => runtimeWith(p, [exited(p, 'log', 1), exited(p, 'app', 0)]),
    want: { ...NONE, initContainersToStart: [0] },
  },
  'restarts nothing once the pod is being deleted': {
    mutate: (p) => (p.metadata.deletionTimestamp = '2026-01-01T00:00:10Z'),
    status: (p) => runtimeWith(p, [exited(p, 'app', 1)]),
    want: { ...NONE, killPod: true },
  },
};

for (const [name, c] of Object.entries(cases)) {
  test(name, () => {
    const pod = podWith(c.pod);
    c.mutate?.(pod);
    const probes: ProbeView = {
      startup: () => 'success',
      livenessFailed: () => false,
      ...c.probes,
    };
    const got = computePodActions(pod, c.status(pod), probes);
    const { kill, ...want } = c.want;
    for (const [k, v] of Object.entries(want)) {
      assert.deepEqual(got[k as keyof PodActions], v, `${k}: ${JSON.stringify(got)}`);
    }
    assert.deepEqual(
      got.containersToKill.map((k) => `${k.containerId}:${k.message}`),
      kill ?? [],
    );
  });
}
