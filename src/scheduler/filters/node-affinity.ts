// pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go with the matching rules of
// k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go:
// spec.nodeSelector (every label equal) AND required node affinity (any term; within a
// term every matchExpression on labels and every matchField on metadata.name).
import type { Node, NodeSelectorRequirement, NodeSelectorTerm, Pod } from '../../api/types/index.js';
import type { NodeInfo } from '../node-info.js';
import type { FilterStatus } from './filter-status.js';

export const ERR_REASON_AFFINITY = "node(s) didn't match Pod's node affinity/selector";

// Gt/Lt compare integers: the single value and the label must both parse (strconv.ParseInt).
function parseInt64(s: string | undefined): number | undefined {
  if (s === undefined || !/^[+-]?\d+$/.test(s)) {
    return undefined;
  }
  return Number(s);
}

function matchesRequirement(req: NodeSelectorRequirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, req.key);
  const v = labels[req.key];
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return has && values.includes(v!);
    case 'NotIn':
      return !has || !values.includes(v!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      if (!has || values.length !== 1) {
        return false;
      }
      const want = parseInt64(values[0]);
      const got = parseInt64(v);
      if (want === undefined || got === undefined) {
        return false;
      }
      return req.operator === 'Gt' ? got > want : got < want;
    }
    default:
      return false;
  }
}

/** A term with no requirements matches nothing; otherwise all its requirements must match. */
export function matchesNodeSelectorTerm(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) {
    return false;
  }
  const labels = node.metadata.labels ?? {};
  if (!exprs.every((r) => matchesRequirement(r, labels))) {
    return false;
  }
  // The only supported field is metadata.name (validation rejects others, and only In/NotIn).
  const fieldSet = { 'metadata.name': node.metadata.name ?? '' };
  return fields.every((r) => r.key === 'metadata.name' && matchesRequirement(r, fieldSet));
}

/** RequiredNodeAffinity.Match: nodeSelector and required terms. */
export function podMatchesNodeSelectorAndAffinity(pod: Pod, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec.nodeSelector ?? {})) {
    if (labels[k] !== v) {
      return false;
    }
  }
  const required = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) {
    return true;
  }
  return (required.nodeSelectorTerms ?? []).some((t) => matchesNodeSelectorTerm(t, node));
}

/**
 * PreFilter: when every required term pins metadata.name with In, only those nodes are
 * considered (getPodAffinityNodeNames); the rest count as
 * "node(s) didn't satisfy plugin(s) [NodeAffinity]". undefined = all nodes.
 */
export function nodeAffinityPreFilterNames(pod: Pod): Set<string> | undefined {
  const terms = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms || terms.length === 0) {
    return undefined;
  }
  let union: Set<string> | undefined = new Set();
  for (const t of terms) {
    let termNames: Set<string> | undefined;
    for (const f of t.matchFields ?? []) {
      if (f.key === 'metadata.name' && f.operator === 'In') {
        const vals = new Set(f.values ?? []);
        termNames = termNames ? new Set([...termNames].filter((n) => vals.has(n))) : vals;
      }
    }
    if (!termNames) {
      // A term without a metadata.name In can match any node.
      union = undefined;
      break;
    }
    for (const n of termNames) {
      union.add(n);
    }
  }
  return union;
}

export function filterNodeAffinity(pod: Pod, ni: NodeInfo): FilterStatus | null {
  return podMatchesNodeSelectorAndAffinity(pod, ni.node)
    ? null
    : { code: 'UnschedulableAndUnresolvable', reasons: [ERR_REASON_AFFINITY], plugin: 'NodeAffinity' };
}
