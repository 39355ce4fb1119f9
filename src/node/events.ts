// Event reasons the node agent records, as k8s pkg/kubelet/events/event.go
// names them (pod-semantics.md §12). Messages are built where the event is
// recorded, each citing its upstream file.
export const EVENT_PULLING_IMAGE = 'Pulling';
export const EVENT_PULLED_IMAGE = 'Pulled';
export const EVENT_FAILED = 'Failed';
export const EVENT_BACK_OFF = 'BackOff';
export const EVENT_ERR_IMAGE_NEVER_PULL = 'ErrImageNeverPull';
export const EVENT_INSPECT_FAILED = 'InspectFailed';
export const EVENT_CREATED = 'Created';
export const EVENT_STARTED = 'Started';
export const EVENT_KILLING = 'Killing';
export const EVENT_SANDBOX_CHANGED = 'SandboxChanged';
export const EVENT_FAILED_CREATE_POD_SANDBOX = 'FailedCreatePodSandBox';
export const EVENT_FAILED_KILL_POD = 'FailedKillPod';
export const EVENT_DEADLINE_EXCEEDED = 'DeadlineExceeded';
export const EVENT_FAILED_SYNC = 'FailedSync';

// Waiting reasons of a container whose last start failed (kuberuntime_container.go
// vars, pkg/kubelet/images/types.go, pkg/kubelet/container/sync_result.go).
export const REASON_CRASH_LOOP_BACK_OFF = 'CrashLoopBackOff';
export const REASON_ERR_IMAGE_PULL = 'ErrImagePull';
export const REASON_IMAGE_PULL_BACK_OFF = 'ImagePullBackOff';
export const REASON_ERR_IMAGE_NEVER_PULL = 'ErrImageNeverPull';
export const REASON_INVALID_IMAGE_NAME = 'InvalidImageName';
export const REASON_IMAGE_INSPECT_ERROR = 'ImageInspectError';
export const REASON_REGISTRY_UNAVAILABLE = 'RegistryUnavailable';
export const REASON_SIGNATURE_VALIDATION_FAILED = 'SignatureValidationFailed';
export const REASON_CREATE_CONTAINER_ERROR = 'CreateContainerError';
export const REASON_RUN_CONTAINER_ERROR = 'RunContainerError';
