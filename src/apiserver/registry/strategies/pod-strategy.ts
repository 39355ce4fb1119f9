// Pod rules of kube-apiserver: pkg/registry/core/pod/strategy.go (podStrategy,
// podStatusStrategy) over the defaulting, validation and QoS of src/api.
import type { DeleteOptions, KubeObject, Pod } from '../../../api/types/index.js';
import {
  computePodQOS,
  defaultPod,
  validatePodCreate,
  validatePodStatusUpdate,
  validatePodUpdate,
} from '../api-rules.js';
import type { Strategy } from '../resource-info.js';
import { deepEqual } from '../deep-equal.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
// apimachinery/pkg/util/validation/validation.go RegexError(dns1123LabelErrMsg, ...): two spaces before `or`.
const DNS_LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

export const podStrategy: Strategy = {
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
  specField: 'spec',
  defaults: (obj, onCreate) => defaultPod(obj as Pod, { admission: onCreate }),
  prepareForCreate(obj) {
    // PrepareForCreate: the status is the server's; a new pod is Pending with its QoS class.
    const pod = obj as Pod;
    pod.status = { phase: 'Pending', qosClass: computePodQOS(pod) };
    pod.metadata.generation = 1;
  },
  prepareForUpdate(obj, old) {
    // PrepareForUpdate: a PUT on the pod cannot change its status.
    const pod = obj as Pod;
    const oldPod = old as Pod;
    pod.status = oldPod.status;
  },
  validate: (obj) => validatePodCreate(obj as Pod),
  validateUpdate: (obj, old) => validatePodUpdate(obj as Pod, old as Pod),
  warningsOnCreate(obj) {
    // WarningsOnCreate: a pod name that is not a DNS label (it becomes the hostname); the
    // messages of IsDNS1123Label are printed with Go's %v of a []string: `[m1 m2]`.
    const name = obj.metadata.name ?? '';
    const msgs: string[] = [];
    if (name.length > 63) {
      msgs.push('must be no more than 63 characters');
    }
    if (!DNS_LABEL.test(name)) {
      msgs.push(DNS_LABEL_MSG);
    }
    if (name === '' || msgs.length === 0) {
      return [];
    }
    return [
      `metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: [${msgs.join(' ')}]`,
    ];
  },
  checkGracefulDelete(obj, options: DeleteOptions) {
    // CheckGracefulDelete: the period is the request's, else the pod's
    // terminationGracePeriodSeconds; 0 when the pod never reached a node or has finished;
    // a negative period becomes 1.
    const pod = obj as Pod;
    let period = 0;
    if (options.gracePeriodSeconds !== undefined) {
      period = options.gracePeriodSeconds;
    } else if (pod.spec.terminationGracePeriodSeconds !== undefined) {
      period = pod.spec.terminationGracePeriodSeconds;
    }
    if (!pod.spec.nodeName) {
      period = 0;
    }
    if (pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded') {
      period = 0;
    }
    if (period < 0) {
      period = 1;
    }
    options.gracePeriodSeconds = period;
    return true;
  },
};

export const podStatusStrategy: Strategy = {
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
  prepareForUpdate(obj, old) {
    // podStatusStrategy.PrepareForUpdate: spec and ownerReferences stay as they were.
    const pod = obj as Pod;
    const oldPod = old as Pod;
    pod.spec = oldPod.spec;
    pod.metadata.ownerReferences = oldPod.metadata.ownerReferences;
  },
  validateUpdate: (obj, old) => validatePodStatusUpdate(obj as Pod, old as Pod),
};

/** Whether an update changed the spec (generation bumps then). */
export function specChanged(obj: KubeObject, old: KubeObject, specField: string): boolean {
  return !deepEqual(
    (obj as unknown as Record<string, unknown>)[specField],
    (old as unknown as Record<string, unknown>)[specField],
  );
}
