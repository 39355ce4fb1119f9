// The Pods every side of bench/startup runs: busybox (localhost/busybox:latest, present,
// imagePullPolicy IfNotPresent) with one or two containers. The command exits at once on
// SIGTERM (a trap and `wait`), so "delete → gone" measures the machinery, not a 30 s
// grace period: busybox `sleep` as PID 1 would ignore SIGTERM (no handler in PID 1).
import { stringify } from 'yaml';

export const BUSYBOX_IMAGE = 'localhost/busybox:latest';

/** The container command: sleeps, and exits 0 as soon as SIGTERM arrives. */
export const SLEEPER = ['/bin/sh', '-c', "trap 'exit 0' TERM; sleep 3600 & wait"];

/** One Pod as a YAML document. */
export function podManifest(name: string, containers: number): string {
  return stringify(podObject(name, containers));
}

/** One Pod as the object the API takes (JSON body of a POST). */
export function podObject(name: string, containers: number): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { bench: 'startup' } },
    spec: {
      restartPolicy: 'Always',
      containers: Array.from({ length: containers }, (_, i) => ({
        name: `c${i}`,
        image: BUSYBOX_IMAGE,
        imagePullPolicy: 'IfNotPresent',
        command: SLEEPER,
      })),
    },
  };
}

/** Several Pods as one multi-document YAML stream. */
export function podsManifest(names: string[], containers: number): string {
  // YAML, not JSON documents: kubectl reads a stream that starts with '{' as one JSON value.
  return names.map((n) => podManifest(n, containers)).join('---\n');
}
