// Platform choice in an image index, as containerd's platforms.Only(host) does: an
// exact os/architecture match, with arm variants ordered (v8 → v7 → v6 → v5 fall
// back downwards) and no variant in a manifest meaning "any" (platforms/compare.go).
import type { Descriptor, Platform } from './image-spec.js';

/** Node's process.arch → GOARCH, the names registries use. */
const GOARCH: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  mips: 'mips',
  mipsel: 'mipsle',
  loong64: 'loong64',
};

export function hostPlatform(arch: string = process.arch): Platform {
  const architecture = GOARCH[arch] ?? arch;
  if (architecture === 'arm64') {
    return { os: 'linux', architecture, variant: 'v8' };
  }
  if (architecture === 'arm') {
    return { os: 'linux', architecture, variant: 'v7' };
  }
  return { os: 'linux', architecture };
}

/** "linux/arm64/v8" or "linux/amd64" → Platform; throws on anything else. */
export function parsePlatform(s: string): Platform {
  const parts = s.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) {
    throw new Error(`invalid platform ${JSON.stringify(s)}: want os/arch[/variant]`);
  }
  const [os, architecture, variant] = parts as [string, string, string?];
  return variant === undefined ? { os, architecture } : { os, architecture, variant };
}

export function formatPlatform(p: Platform): string {
  return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;
}

const ARM_VARIANTS = ['v8', 'v7', 'v6', 'v5'];

/** How well `candidate` serves `want`: lower is better, undefined means it cannot run. */
function rank(want: Platform, candidate: Platform): number | undefined {
  if (candidate.os !== want.os || candidate.architecture !== want.architecture) {
    return undefined;
  }
  if (candidate.variant === undefined || want.variant === undefined) {
    return candidate.variant === want.variant ? 0 : 1;
  }
  if (candidate.variant === want.variant) {
    return 0;
  }
  const w = ARM_VARIANTS.indexOf(want.variant);
  const c = ARM_VARIANTS.indexOf(candidate.variant);
  return w !== -1 && c > w ? 1 + (c - w) : undefined;
}

/**
 * The manifest of an index for `want`; attestation manifests (platform unknown/unknown,
 * BuildKit's provenance) never match. Undefined when none fits.
 */
export function choosePlatformManifest(manifests: readonly Descriptor[], want: Platform): Descriptor | undefined {
  let best: Descriptor | undefined;
  let bestRank = Infinity;
  for (const m of manifests) {
    if (m.platform === undefined) {
      continue;
    }
    const r = rank(want, m.platform);
    if (r !== undefined && r < bestRank) {
      best = m;
      bestRank = r;
    }
  }
  return best;
}
