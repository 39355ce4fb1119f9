// Shared fixtures for the validation tests: a pod as the API server has defaulted it
// (pkg/apis/core/v1/defaults.go), the upstream messages tests compare against, and a
// renderer giving each error as Kubernetes prints it.
import { fieldErrorString, type FieldError } from '../../errors.js';
import type { Container, Pod, Probe } from '../../types/index.js';

/** IsDNS1123Label's regex message (two spaces before `or`). */
export const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

/** IsDNS1123Subdomain's regex message. */
export const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

/** IsQualifiedName's name-part regex message. */
export const QUALIFIED_NAME_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

/** IsValidLabelValue's regex message. */
export const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

export function container(name: string, extra: Partial<Container> = {}): Container {
  return {
    name,
    image: 'nginx:1.27',
    imagePullPolicy: 'IfNotPresent',
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    ...extra,
  };
}

/** A probe with the API defaults (timeout 1, period 10, success 1, failure 3). */
export function probe(handler: Partial<Probe> = { exec: { command: ['true'] } }): Probe {
  return { timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3, ...handler };
}

/** A valid, defaulted pod: one container `web`. */
export function basePod(): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      containers: [container('web')],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      securityContext: {},
      enableServiceLinks: true,
    },
  };
}

/** A pod changed by `mutate` (applied to a fresh base pod). */
export function podWith(mutate: (p: Pod) => void): Pod {
  const p = basePod();
  mutate(p);
  return p;
}

/** The errors as Kubernetes prints them: `<field>: <Type>[: <value>][: <detail>]`. */
export function render(errs: FieldError[]): string[] {
  return errs.map(fieldErrorString);
}
