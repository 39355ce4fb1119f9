// The table that drives the generic REST registry (k8s.io/apiserver's
// registry/generic/registry.Store plus its rest.RESTCreateStrategy and friends, flattened):
// one ResourceInfo per served resource, with the strategy hooks that make a Pod a Pod.
import type { FieldError } from '../../api/errors.js';
import type { DeleteOptions, KubeObject } from '../../api/types/index.js';

/** What a strategy hook may need to know about the request it runs in. */
export interface StrategyContext {
  nowMs: number;
  /** Warnings to send back as `Warning:` headers. */
  warnings: string[];
}

/**
 * Per-kind rules (pkg/registry/<group>/<kind>/strategy.go). Every hook is optional;
 * hooks mutate the object they are given.
 */
export interface Strategy {
  /**
   * API defaulting (SetDefaults_*), run on every decoded write; `onCreate` adds the
   * create-time admission mutations (ServiceAccount, DefaultTolerationSeconds, Priority).
   */
  defaults?(obj: KubeObject, onCreate: boolean): KubeObject;
  /** PrepareForCreate: clear or set fields the client does not control (e.g. pod status). */
  prepareForCreate?(obj: KubeObject, ctx: StrategyContext): void;
  /** PrepareForUpdate: e.g. keep status on a spec update, keep spec on a status update. */
  prepareForUpdate?(obj: KubeObject, old: KubeObject, ctx: StrategyContext): void;
  /** Validate on create (including metadata); errors become 422. */
  validate?(obj: KubeObject): FieldError[];
  /** ValidateUpdate (including metadata rules); errors become 422. */
  validateUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  /** WarningsOnCreate / WarningsOnUpdate. */
  warningsOnCreate?(obj: KubeObject): string[];
  warningsOnUpdate?(obj: KubeObject, old: KubeObject): string[];
  /**
   * CheckGracefulDelete: true when the kind deletes gracefully; it sets
   * options.gracePeriodSeconds to the period to use (0 = at once).
   */
  checkGracefulDelete?(obj: KubeObject, options: DeleteOptions): boolean;
  /** PUT of an absent object creates it (events, leases). */
  allowCreateOnUpdate: boolean;
  /** PUT without metadata.resourceVersion is accepted (no optimistic concurrency). */
  allowUnconditionalUpdate: boolean;
  /** Object has a spec whose change bumps metadata.generation. */
  specField?: string;
}

export interface SubresourceInfo {
  name: string;
  /** responseKind of discovery. */
  kind: string;
  verbs: string[];
  /** For update-style subresources (status, finalize): the strategy of PUT/PATCH. */
  strategy?: Strategy;
}

/** How a served view maps to the stored object (events.k8s.io/v1 over core/v1 Events). */
export interface ObjectView {
  toServed(stored: KubeObject): KubeObject;
  fromServed(served: KubeObject): KubeObject;
}

export interface ResourceInfo {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  /** Plural, lower case: the URL segment. */
  plural: string;
  singular: string;
  shortNames: string[];
  categories: string[];
  namespaced: boolean;
  verbs: string[];
  /** The store key's resource segment (`pods`, `leases.coordination.k8s.io`); views share one. */
  storageResource: string;
  /** The resource name the selectors/printers module knows (`pods`, `events`). */
  selectorResource: string;
  strategy: Strategy;
  subresources: SubresourceInfo[];
  /** DELETE answers the object (pods) rather than a Success Status (rest.go ReturnDeletedObject). */
  returnDeletedObject: boolean;
  view?: ObjectView;
}

export function apiVersionOf(info: Pick<ResourceInfo, 'group' | 'version'>): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}

/** `pods`, `leases.coordination.k8s.io`: the name errors use (schema.GroupResource.String()). */
export function qualifiedResource(info: Pick<ResourceInfo, 'group' | 'plural'>): string {
  return info.group ? `${info.plural}.${info.group}` : info.plural;
}

export const STANDARD_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
