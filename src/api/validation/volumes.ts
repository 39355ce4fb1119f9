// Pod volumes and container volume mounts: pkg/apis/core/validation/validation.go
// (ValidateVolumes, validateVolumeSource and the per-source checks podbay serves,
// ValidateVolumeMounts, validateLocalDescendingPath, ValidateLocalNonReservedPath).
import { field, type FieldError } from '../errors.js';
import type {
  Container,
  DownwardAPIVolumeFile,
  KeyToPath,
  ObjectMeta,
  ProjectedVolumeSource,
  Volume,
  VolumeMount,
} from '../types/index.js';
import { child, index } from './field-path.js';
import { validateObjectFieldSelector, validateResourceFieldSelector } from './env.js';
import { isDNS1123Label, nameIsDNSSubdomain } from './names.js';
import { toQuantity } from './resources.js';

export const FILE_MODE_ERROR_MSG = 'must be a number between 0 and 0777 (octal), both inclusive';

const VOLUME_DOWNWARD_API_FIELD_PATHS = [
  'metadata.annotations',
  'metadata.labels',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
];

/** validatePathNoBacksteps: no `..` element. One error is enough, even for `../../..`. */
export function validatePathNoBacksteps(target: string, path: string): FieldError[] {
  return target.split('/').includes('..') ? [field.invalid(path, target, "must not contain '..'")] : [];
}

/** validateLocalDescendingPath: relative and without `..` elements. */
export function validateLocalDescendingPath(target: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (target.startsWith('/')) {
    errs.push(field.invalid(path, target, 'must be a relative path'));
  }
  errs.push(...validatePathNoBacksteps(target, path));
  return errs;
}

/** ValidateLocalNonReservedPath: also may not start with `..` (e.g. `..data`, reserved by the atomic writer). */
export function validateLocalNonReservedPath(target: string, path: string): FieldError[] {
  const errs = validateLocalDescendingPath(target, path);
  if (target.startsWith('..') && !target.startsWith('../')) {
    errs.push(field.invalid(path, target, "must not start with '..'"));
  }
  return errs;
}

function validateMode(mode: number | undefined, path: string): FieldError[] {
  return mode !== undefined && (mode > 0o777 || mode < 0) ? [field.invalid(path, mode, FILE_MODE_ERROR_MSG)] : [];
}

function validateKeyToPath(kp: KeyToPath, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!kp.key) {
    errs.push(field.required(child(path, 'key')));
  }
  if (!kp.path) {
    errs.push(field.required(child(path, 'path')));
  }
  errs.push(...validateLocalNonReservedPath(kp.path ?? '', child(path, 'path')));
  errs.push(...validateMode(kp.mode, child(path, 'mode')));
  return errs;
}

function validateItems(items: KeyToPath[] | undefined, path: string): FieldError[] {
  return (items ?? []).flatMap((kp, i) => validateKeyToPath(kp, index(path, i)));
}

function validateDownwardAPIVolumeFile(file: DownwardAPIVolumeFile, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!file.path) {
    errs.push(field.required(child(path, 'path')));
  }
  errs.push(...validateLocalNonReservedPath(file.path ?? '', child(path, 'path')));
  if (file.fieldRef) {
    errs.push(...validateObjectFieldSelector(file.fieldRef, VOLUME_DOWNWARD_API_FIELD_PATHS, child(path, 'fieldRef')));
    if (file.resourceFieldRef) {
      errs.push(field.invalid(path, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
    }
  } else if (file.resourceFieldRef) {
    errs.push(...validateResourceFieldSelector(file.resourceFieldRef, child(path, 'resourceFieldRef'), true));
  } else {
    errs.push(field.required(path, 'one of fieldRef and resourceFieldRef is required'));
  }
  errs.push(...validateMode(file.mode, child(path, 'mode')));
  return errs;
}

/** validateProjectionSources: one source per entry, and no path used twice. */
function validateProjected(projected: ProjectedVolumeSource, path: string): FieldError[] {
  const errs = validateMode(projected.defaultMode, child(path, 'defaultMode'));
  const allPaths = new Set<string>();
  const seen = (p: string, value: unknown): void => {
    if (allPaths.has(p)) {
      errs.push(field.invalid(path, value, 'conflicting duplicate paths'));
    } else {
      allPaths.add(p);
    }
  };
  (projected.sources ?? []).forEach((source, i) => {
    let numSources = 0;
    const srcPath = index(child(path, 'sources'), i);
    for (const kind of ['secret', 'configMap'] as const) {
      const s = source[kind];
      if (!s) {
        continue;
      }
      numSources++;
      const projPath = child(srcPath, kind);
      if (!s.name) {
        errs.push(field.required(child(projPath, 'name')));
      }
      (s.items ?? []).forEach((kp, j) => {
        errs.push(...validateKeyToPath(kp, index(child(projPath, 'items'), j)));
        if (kp.path) {
          seen(kp.path, s.name ?? '');
        }
      });
    }
    if (source.downwardAPI) {
      numSources++;
      for (const file of source.downwardAPI.items ?? []) {
        errs.push(...validateDownwardAPIVolumeFile(file, child(srcPath, 'downwardAPI')));
        if (file.path) {
          seen(file.path, file.path);
        }
      }
    }
    const token = source.serviceAccountToken;
    if (token) {
      numSources++;
      const projPath = child(srcPath, 'serviceAccountToken');
      const exp = token.expirationSeconds ?? 0;
      if (exp < 10 * 60) {
        errs.push(
          field.invalid(child(projPath, 'expirationSeconds'), exp, 'may not specify a duration less than 10 minutes'),
        );
      }
      if (exp > 2 ** 32) {
        errs.push(
          field.invalid(
            child(projPath, 'expirationSeconds'),
            exp,
            'may not specify a duration larger than 2^32 seconds',
          ),
        );
      }
      if (!token.path) {
        // Upstream reports this at the volume's `projected.path`, not under the source.
        errs.push(field.required(child(path, 'path')));
      } else {
        errs.push(...validateLocalNonReservedPath(token.path, child(path, 'path')));
      }
    }
    if (numSources > 1) {
      errs.push(field.forbidden(srcPath, 'may not specify more than 1 volume type per source'));
    }
  });
  return errs;
}

const HOST_PATH_TYPES = [
  '',
  'BlockDevice',
  'CharDevice',
  'Directory',
  'DirectoryOrCreate',
  'File',
  'FileOrCreate',
  'Socket',
];

type SourceCheck = (src: Record<string, unknown>, path: string, vol: Volume) => FieldError[];

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * The volume sources in the order validateVolumeSource tests them, with the path used in
 * the "more than 1 volume type" error (upstream misspells two of them: `downwarAPI`, `cephFS`).
 * Sources podbay does not implement still count, so a second source is always caught.
 */
const VOLUME_SOURCES: { key: string; forbiddenAs: string; check?: SourceCheck }[] = [
  {
    key: 'emptyDir',
    forbiddenAs: 'emptyDir',
    check: (src, path) => {
      const errs: FieldError[] = [];
      if (src.sizeLimit !== undefined && src.sizeLimit !== null) {
        const q = toQuantity(src.sizeLimit as string | number, child(path, 'sizeLimit'), errs);
        if (q && q.sign() < 0) {
          errs.push(field.forbidden(child(path, 'sizeLimit'), 'SizeLimit field must be a valid resource quantity'));
        }
      }
      return errs;
    },
  },
  {
    key: 'hostPath',
    forbiddenAs: 'hostPath',
    check: (src, path) => {
      const p = str(src.path);
      if (p === '') {
        return [field.required(child(path, 'path'))];
      }
      const errs = validatePathNoBacksteps(p, child(path, 'path'));
      if (src.type !== undefined && !HOST_PATH_TYPES.includes(str(src.type))) {
        errs.push(field.notSupported(child(path, 'type'), src.type, HOST_PATH_TYPES));
      }
      return errs;
    },
  },
  { key: 'gitRepo', forbiddenAs: 'gitRepo' },
  { key: 'gcePersistentDisk', forbiddenAs: 'gcePersistentDisk' },
  { key: 'awsElasticBlockStore', forbiddenAs: 'awsElasticBlockStore' },
  {
    key: 'secret',
    forbiddenAs: 'secret',
    check: (src, path) => [
      ...(str(src.secretName) === '' ? [field.required(child(path, 'secretName'))] : []),
      ...validateMode(src.defaultMode as number | undefined, child(path, 'defaultMode')),
      ...validateItems(src.items as KeyToPath[] | undefined, child(path, 'items')),
    ],
  },
  {
    key: 'nfs',
    forbiddenAs: 'nfs',
    check: (src, path) => {
      const errs: FieldError[] = [];
      if (str(src.server) === '') {
        errs.push(field.required(child(path, 'server')));
      }
      if (str(src.path) === '') {
        errs.push(field.required(child(path, 'path')));
      }
      if (!str(src.path).startsWith('/')) {
        errs.push(field.invalid(child(path, 'path'), str(src.path), 'must be an absolute path'));
      }
      return errs;
    },
  },
  { key: 'iscsi', forbiddenAs: 'iscsi' },
  { key: 'glusterfs', forbiddenAs: 'glusterfs' },
  { key: 'flocker', forbiddenAs: 'flocker' },
  {
    key: 'persistentVolumeClaim',
    forbiddenAs: 'persistentVolumeClaim',
    check: (src, path) => (str(src.claimName) === '' ? [field.required(child(path, 'claimName'))] : []),
  },
  { key: 'rbd', forbiddenAs: 'rbd' },
  { key: 'cinder', forbiddenAs: 'cinder' },
  { key: 'cephfs', forbiddenAs: 'cephFS' },
  { key: 'quobyte', forbiddenAs: 'quobyte' },
  {
    key: 'downwardAPI',
    forbiddenAs: 'downwarAPI',
    check: (src, path) => [
      ...validateMode(src.defaultMode as number | undefined, child(path, 'defaultMode')),
      // Upstream passes the volume's downwardAPI path, not the item's, to each file.
      ...((src.items as DownwardAPIVolumeFile[] | undefined) ?? []).flatMap((f) =>
        validateDownwardAPIVolumeFile(f, path),
      ),
    ],
  },
  { key: 'fc', forbiddenAs: 'fc' },
  { key: 'flexVolume', forbiddenAs: 'flexVolume' },
  {
    key: 'configMap',
    forbiddenAs: 'configMap',
    check: (src, path) => [
      ...(str(src.name) === '' ? [field.required(child(path, 'name'))] : []),
      ...validateMode(src.defaultMode as number | undefined, child(path, 'defaultMode')),
      ...validateItems(src.items as KeyToPath[] | undefined, child(path, 'items')),
    ],
  },
  { key: 'azureFile', forbiddenAs: 'azureFile' },
  { key: 'vsphereVolume', forbiddenAs: 'vsphereVolume' },
  { key: 'photonPersistentDisk', forbiddenAs: 'photonPersistentDisk' },
  { key: 'portworxVolume', forbiddenAs: 'portworxVolume' },
  { key: 'azureDisk', forbiddenAs: 'azureDisk' },
  { key: 'storageos', forbiddenAs: 'storageos' },
  {
    key: 'projected',
    forbiddenAs: 'projected',
    check: (src, path) => validateProjected(src, path),
  },
  { key: 'scaleIO', forbiddenAs: 'scaleIO' },
  { key: 'csi', forbiddenAs: 'csi' },
  {
    key: 'ephemeral',
    forbiddenAs: 'ephemeral',
    check: (src, path) => (src.volumeClaimTemplate ? [] : [field.required(child(path, 'volumeClaimTemplate'))]),
  },
  {
    key: 'image',
    forbiddenAs: 'image',
    check: (src, path) => (str(src.reference) === '' ? [field.required(child(path, 'reference'))] : []),
  },
];

/** validateVolumeSource: exactly one source, then that source's own rules. */
function validateVolumeSource(vol: Volume, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let numVolumes = 0;
  const record = vol as unknown as Record<string, unknown>;
  for (const s of VOLUME_SOURCES) {
    const src = record[s.key];
    if (src === undefined || src === null) {
      continue;
    }
    if (numVolumes > 0) {
      errs.push(field.forbidden(child(path, s.forbiddenAs), 'may not specify more than 1 volume type'));
      continue;
    }
    numVolumes++;
    errs.push(...(s.check?.(src as Record<string, unknown>, child(path, s.key), vol) ?? []));
  }
  if (numVolumes === 0) {
    errs.push(field.required(path, 'must specify a volume type'));
  }
  return errs;
}

/**
 * ValidateVolumes: the source's errors come first, then the name's (required, DNS label,
 * unique). Only volumes without errors are returned as mountable.
 */
export function validateVolumes(
  volumes: Volume[] | undefined,
  podMeta: ObjectMeta | undefined,
  path: string,
): { names: Map<string, Volume>; errs: FieldError[] } {
  const errs: FieldError[] = [];
  const names = new Map<string, Volume>();
  const createdPVCs = new Set<string>();
  if (podMeta?.name) {
    for (const vol of volumes ?? []) {
      if (vol.ephemeral) {
        createdPVCs.add(`${podMeta.name}-${vol.name}`);
      }
    }
  }
  (volumes ?? []).forEach((vol, i) => {
    const idxPath = index(path, i);
    const namePath = child(idxPath, 'name');
    const el = validateVolumeSource(vol, idxPath);
    if (vol.ephemeral && podMeta?.name && vol.name) {
      const pvcName = `${podMeta.name}-${vol.name}`;
      for (const m of nameIsDNSSubdomain(pvcName, false)) {
        el.push(field.invalid(child(idxPath, 'name'), vol.name, `PVC name "${pvcName}": ${m}`));
      }
    }
    if (!vol.name) {
      el.push(field.required(namePath));
    } else {
      el.push(...isDNS1123Label(vol.name).map((m) => field.invalid(namePath, vol.name, m)));
    }
    if (names.has(vol.name)) {
      el.push(field.duplicate(namePath, vol.name));
    }
    if (el.length === 0) {
      names.set(vol.name, vol);
    } else {
      errs.push(...el);
    }
    const claim = vol.persistentVolumeClaim?.claimName;
    if (claim !== undefined && createdPVCs.has(claim)) {
      errs.push(
        field.invalid(
          child(idxPath, 'persistentVolumeClaim', 'claimName'),
          claim,
          'must not reference a PVC that gets created for an ephemeral volume',
        ),
      );
    }
  });
  return { names, errs };
}

const MOUNT_PROPAGATIONS = ['Bidirectional', 'HostToContainer', 'None'];
const RECURSIVE_READ_ONLY = ['Disabled', 'Enabled', 'IfPossible'];

/**
 * ValidateVolumeMounts. Upstream builds the subPath, subPathExpr, mountPropagation and
 * recursiveReadOnly paths from the list's path, not the item's
 * (`volumeMounts.subPath`), and podbay keeps that.
 */
export function validateVolumeMounts(
  mounts: VolumeMount[] | undefined,
  volumes: ReadonlyMap<string, Volume>,
  container: Container | undefined,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  const mountPoints = new Set<string>();
  (mounts ?? []).forEach((mnt, i) => {
    const idxPath = index(path, i);
    if (!mnt.name) {
      errs.push(field.required(child(idxPath, 'name')));
    }
    if (!volumes.has(mnt.name ?? '')) {
      errs.push(field.notFound(child(idxPath, 'name'), mnt.name ?? ''));
    }
    if (!mnt.mountPath) {
      errs.push(field.required(child(idxPath, 'mountPath')));
    }
    if (mountPoints.has(mnt.mountPath ?? '')) {
      errs.push(field.invalid(child(idxPath, 'mountPath'), mnt.mountPath ?? '', 'must be unique'));
    }
    mountPoints.add(mnt.mountPath ?? '');
    if (volumes.get(mnt.name)?.image) {
      if (mnt.subPath) {
        errs.push(field.invalid(child(idxPath, 'subPath'), mnt.subPath, 'not allowed in image volume sources'));
      }
      if (mnt.subPathExpr) {
        errs.push(field.invalid(child(idxPath, 'subPathExpr'), mnt.subPathExpr, 'not allowed in image volume sources'));
      }
    }
    if (mnt.subPath) {
      errs.push(...validateLocalDescendingPath(mnt.subPath, child(path, 'subPath')));
    }
    if (mnt.subPathExpr) {
      if (mnt.subPath) {
        errs.push(
          field.invalid(
            child(idxPath, 'subPathExpr'),
            mnt.subPathExpr,
            'subPathExpr and subPath are mutually exclusive',
          ),
        );
      }
      errs.push(...validateLocalDescendingPath(mnt.subPathExpr, child(path, 'subPathExpr')));
    }
    if (mnt.mountPropagation !== undefined) {
      const p = child(path, 'mountPropagation');
      if (!MOUNT_PROPAGATIONS.includes(mnt.mountPropagation)) {
        errs.push(field.notSupported(p, mnt.mountPropagation, MOUNT_PROPAGATIONS));
      }
      if (container && mnt.mountPropagation === 'Bidirectional' && container.securityContext?.privileged !== true) {
        errs.push(field.forbidden(p, 'Bidirectional mount propagation is available only to privileged containers'));
      }
    }
    const rro = mnt.recursiveReadOnly;
    if (rro !== undefined) {
      const p = child(path, 'recursiveReadOnly');
      if (rro === 'Enabled' || rro === 'IfPossible') {
        if (!mnt.readOnly) {
          errs.push(field.forbidden(p, 'may only be specified when readOnly is true'));
        }
        if (mnt.mountPropagation !== undefined && mnt.mountPropagation !== 'None') {
          errs.push(field.forbidden(p, 'may only be specified when mountPropagation is None or not specified'));
        }
      } else if (rro !== 'Disabled') {
        errs.push(field.notSupported(p, rro, RECURSIVE_READ_ONLY));
      }
    }
  });
  return errs;
}
