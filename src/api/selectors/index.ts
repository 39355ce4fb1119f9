// Public entry of label and field selectors.
export {
  LabelSelectorParseError,
  labelSelectorFromObject,
  labelSelectorString,
  matchLabelSelector,
  matchRequirement,
  newRequirement,
  parseLabelSelector,
} from './label-selector.js';
export type { LabelSelectorMatcher, Requirement, SelectorOperator } from './label-selector.js';
export {
  FieldSelectorParseError,
  escapeFieldValue,
  matchFieldSelector,
  parseFieldSelector,
  transformFieldSelector,
  unescapeFieldValue,
} from './field-selector.js';
export type { FieldRequirement, FieldSelector } from './field-selector.js';
export { convertFieldLabel, selectableFields } from './selectable-fields.js';
export { compileListFilter } from './list-filter.js';
export { isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from '../validation/names.js';
