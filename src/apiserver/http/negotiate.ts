// Content negotiation for the few alternative answers podbay serves. kubectl's Accept
// headers are listed in kubectl-contract.md §1.2. An Accept that asks only for types we
// do not serve (protobuf) gets JSON: kubectl falls back to it (contract §1.2), so
// podbay never answers 406.

interface MediaRange {
  type: string;
  params: Map<string, string>;
}

export function parseAccept(accept: string | undefined): MediaRange[] {
  if (!accept) {
    return [];
  }
  return accept.split(',').map((part) => {
    const [type, ...params] = part.split(';').map((s) => s.trim());
    const map = new Map<string, string>();
    for (const p of params) {
      const eq = p.indexOf('=');
      if (eq > 0) {
        map.set(p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim());
      }
    }
    return { type: (type ?? '').toLowerCase(), params: map };
  });
}

/** The Table version asked for (`as=Table;g=meta.k8s.io;v=v1`), first match wins, else undefined. */
export function acceptsTable(accept: string | undefined): 'v1' | 'v1beta1' | undefined {
  for (const r of parseAccept(accept)) {
    if (r.type !== 'application/json' || r.params.get('as') !== 'Table' || r.params.get('g') !== 'meta.k8s.io') {
      continue;
    }
    const v = r.params.get('v');
    if (v === 'v1' || v === 'v1beta1') {
      return v;
    }
  }
  return undefined;
}

/** The aggregated discovery version asked for (`as=APIGroupDiscoveryList;g=apidiscovery.k8s.io`). */
export function acceptsAggregatedDiscovery(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  for (const r of parseAccept(accept)) {
    if (
      r.type !== 'application/json' ||
      r.params.get('as') !== 'APIGroupDiscoveryList' ||
      r.params.get('g') !== 'apidiscovery.k8s.io'
    ) {
      continue;
    }
    const v = r.params.get('v');
    if (v === 'v2' || v === 'v2beta1') {
      return v;
    }
  }
  return undefined;
}

/** True for PartialObjectMetadata(List) requests (`as=PartialObjectMetadata;g=meta.k8s.io`). */
export function acceptsPartialObjectMetadata(accept: string | undefined): boolean {
  return parseAccept(accept).some(
    (r) => r.type === 'application/json' && r.params.get('as')?.startsWith('PartialObjectMetadata') === true,
  );
}
