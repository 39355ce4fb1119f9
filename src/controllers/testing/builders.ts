// The scheduler's plain-value builders, shared by controller tests (testing/ may import testing/).
export { boundPod, container, nodeWith, podWith } from '../../scheduler/testing/builders.js';
