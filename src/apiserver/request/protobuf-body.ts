// Protobuf request bodies, for the kinds kubectl writes through its typed clientset
// (`kubectl create namespace|configmap|secret` send application/vnd.kubernetes.protobuf
// and do not retry with JSON on a 415). The wire form is k8s.io/apimachinery's
// runtime/serializer/protobuf: the magic `k8s\0`, then a runtime.Unknown
// {typeMeta=1 {apiVersion=1, kind=2}, raw=2} whose raw bytes are the object; field
// numbers are those of k8s.io/api/core/v1/generated.proto and
// k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto.
import { newBadRequest } from '../../api/errors.js';

const MAGIC = [0x6b, 0x38, 0x73, 0x00];

interface Field {
  num: number;
  wire: number;
  /** varint value (wire 0) */
  int?: bigint;
  /** length-delimited bytes (wire 2) */
  bytes?: Uint8Array;
}

function readFields(buf: Uint8Array): Field[] {
  const out: Field[] = [];
  let i = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (i >= buf.length) {
        throw newBadRequest('protobuf: unexpected end of data');
      }
      const b = buf[i++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) {
        return result;
      }
      shift += 7n;
    }
  };
  while (i < buf.length) {
    const key = Number(varint());
    const num = key >>> 3;
    const wire = key & 7;
    if (wire === 0) {
      out.push({ num, wire, int: varint() });
    } else if (wire === 2) {
      const len = Number(varint());
      if (i + len > buf.length) {
        throw newBadRequest('protobuf: length out of range');
      }
      out.push({ num, wire, bytes: buf.subarray(i, i + len) });
      i += len;
    } else if (wire === 1) {
      i += 8;
    } else if (wire === 5) {
      i += 4;
    } else {
      throw newBadRequest(`protobuf: unsupported wire type ${wire}`);
    }
  }
  return out;
}

const text = (b: Uint8Array | undefined): string => Buffer.from(b ?? new Uint8Array()).toString('utf8');

function stringMap(
  fields: Field[],
  num: number,
  value: (b: Uint8Array | undefined) => string,
): Record<string, string> | undefined {
  const entries = fields.filter((f) => f.num === num && f.bytes);
  if (entries.length === 0) {
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const e of entries) {
    const kv = readFields(e.bytes!);
    out[text(kv.find((f) => f.num === 1)?.bytes)] = value(kv.find((f) => f.num === 2)?.bytes);
  }
  return out;
}

function str(fields: Field[], num: number): string | undefined {
  const f = fields.find((x) => x.num === num && x.bytes);
  return f ? text(f.bytes) : undefined;
}

function strings(fields: Field[], num: number): string[] | undefined {
  const all = fields.filter((x) => x.num === num && x.bytes).map((x) => text(x.bytes));
  return all.length ? all : undefined;
}

function int(fields: Field[], num: number): number | undefined {
  const f = fields.find((x) => x.num === num && x.int !== undefined);
  return f ? Number(BigInt.asIntN(64, f.int!)) : undefined;
}

function bool(fields: Field[], num: number): boolean | undefined {
  const f = fields.find((x) => x.num === num && x.int !== undefined);
  return f ? f.int !== 0n : undefined;
}

function sub(fields: Field[], num: number): Field[] | undefined {
  const f = fields.find((x) => x.num === num && x.bytes);
  return f ? readFields(f.bytes!) : undefined;
}

/** metav1.Time {seconds=1, nanos=2}: RFC 3339, or undefined for the zero time. */
function time(fields: Field[] | undefined): string | undefined {
  const seconds = fields ? int(fields, 1) : undefined;
  if (!seconds) {
    return undefined;
  }
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function setDefined(o: Record<string, unknown>, k: string, v: unknown): void {
  if (v !== undefined) {
    o[k] = v;
  }
}

function objectMeta(f: Field[] | undefined): Record<string, unknown> {
  const m: Record<string, unknown> = {};
  if (!f) {
    return m;
  }
  setDefined(m, 'name', str(f, 1));
  setDefined(m, 'generateName', str(f, 2));
  setDefined(m, 'namespace', str(f, 3));
  setDefined(m, 'uid', str(f, 5));
  setDefined(m, 'resourceVersion', str(f, 6));
  setDefined(m, 'generation', int(f, 7));
  setDefined(m, 'creationTimestamp', time(sub(f, 8)));
  setDefined(m, 'labels', stringMap(f, 11, text));
  setDefined(m, 'annotations', stringMap(f, 12, text));
  const owners = f
    .filter((x) => x.num === 13 && x.bytes)
    .map((x) => {
      const o = readFields(x.bytes!);
      const ref: Record<string, unknown> = {};
      setDefined(ref, 'apiVersion', str(o, 5));
      setDefined(ref, 'kind', str(o, 1));
      setDefined(ref, 'name', str(o, 3));
      setDefined(ref, 'uid', str(o, 4));
      setDefined(ref, 'controller', bool(o, 6));
      setDefined(ref, 'blockOwnerDeletion', bool(o, 7));
      return ref;
    });
  if (owners.length) {
    m.ownerReferences = owners;
  }
  setDefined(m, 'finalizers', strings(f, 14));
  return m;
}

const base64 = (b: Uint8Array | undefined): string => Buffer.from(b ?? new Uint8Array()).toString('base64');

/** Decoders of the object bytes per `<apiVersion>/<kind>`. */
const KINDS: Record<string, (f: Field[]) => Record<string, unknown>> = {
  'v1/Namespace': (f) => {
    const out: Record<string, unknown> = { metadata: objectMeta(sub(f, 1)) };
    const spec = sub(f, 2);
    out.spec = spec ? (strings(spec, 1) ? { finalizers: strings(spec, 1) } : {}) : {};
    return out;
  },
  'v1/ConfigMap': (f) => {
    const out: Record<string, unknown> = { metadata: objectMeta(sub(f, 1)) };
    setDefined(out, 'data', stringMap(f, 2, text));
    setDefined(out, 'binaryData', stringMap(f, 3, base64));
    setDefined(out, 'immutable', bool(f, 4));
    return out;
  },
  'v1/Secret': (f) => {
    const out: Record<string, unknown> = { metadata: objectMeta(sub(f, 1)) };
    setDefined(out, 'data', stringMap(f, 2, base64));
    setDefined(out, 'type', str(f, 3));
    setDefined(out, 'stringData', stringMap(f, 4, text));
    setDefined(out, 'immutable', bool(f, 5));
    return out;
  },
};

/**
 * The JSON form of a protobuf-encoded object, or undefined when its kind is not one
 * podbay reads as protobuf (the caller answers 415).
 */
export function decodeProtobufObject(body: Uint8Array): Record<string, unknown> | undefined {
  if (body.length < 4 || MAGIC.some((b, i) => body[i] !== b)) {
    throw newBadRequest('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  }
  const unknown = readFields(body.subarray(4));
  const typeMeta = sub(unknown, 1) ?? [];
  const apiVersion = str(typeMeta, 1) ?? '';
  const kind = str(typeMeta, 2) ?? '';
  const decode = KINDS[`${apiVersion}/${kind}`];
  if (!decode) {
    return undefined;
  }
  const raw = unknown.find((x) => x.num === 2 && x.bytes)?.bytes ?? new Uint8Array();
  return { apiVersion, kind, ...decode(readFields(raw)) };
}
