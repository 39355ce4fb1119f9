// The predicate a list/watch/deletecollection applies: ?labelSelector= and
// ?fieldSelector= parsed, field labels converted for the kind, both ANDed
// (k8s.io/apiserver/pkg/endpoints/handlers/get.go ListResource: a selector that
// does not parse or names an unsupported field is a 400 BadRequest with the
// parser's or converter's message).
import { newBadRequest } from '../errors.js';
import type { KubeObject } from '../types/index.js';
import {
  FieldSelectorParseError,
  matchFieldSelector,
  parseFieldSelector,
  transformFieldSelector,
} from './field-selector.js';
import { LabelSelectorParseError, matchLabelSelector, parseLabelSelector } from './label-selector.js';
import { convertFieldLabel, selectableFields } from './selectable-fields.js';

function badRequest<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof LabelSelectorParseError || e instanceof FieldSelectorParseError) {
      throw newBadRequest(e.message);
    }
    throw e;
  }
}

/**
 * Compiles the selectors of a request for `resource` (the plural, e.g. 'pods').
 * Throws a StatusError (400 BadRequest) when either selector is malformed.
 */
export function compileListFilter(
  resource: string,
  labelSelector?: string,
  fieldSelector?: string,
): (obj: KubeObject) => boolean {
  const labels = labelSelector ? badRequest(() => parseLabelSelector(labelSelector)) : undefined;
  const fields = fieldSelector
    ? badRequest(() =>
        transformFieldSelector(parseFieldSelector(fieldSelector), (f, v) => convertFieldLabel(resource, f, v)),
      )
    : undefined;
  return (obj) =>
    (labels === undefined || matchLabelSelector(labels, obj.metadata.labels)) &&
    (fields === undefined || matchFieldSelector(fields, selectableFields(resource, obj)));
}
