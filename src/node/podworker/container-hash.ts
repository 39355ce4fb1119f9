// A container's spec hash, stored on each instance so the agent can tell when
// the spec changed under a running container (kubelet
// pkg/kubelet/container/helpers.go#HashContainer; resources are left out, as
// in-place resize must not restart containers).
import type { Container } from '../../api/types/index.js';

function stable(v: unknown): string {
  if (Array.isArray(v)) {
    return `[${v.map(stable).join(',')}]`;
  }
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** FNV-1a (32 bit) of the container without its resources, in hex. */
export function hashContainer(c: Container): string {
  const { resources: _r, resizePolicy: _p, ...rest } = c;
  const s = stable(rest);
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
