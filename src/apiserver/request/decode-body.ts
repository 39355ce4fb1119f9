// Request bodies in JSON or YAML (the media types kube-apiserver's serializers accept,
// minus protobuf). Decode failures are 400 BadRequest naming the problem, with the
// wording of apimachinery's serializers (`error converting YAML to JSON: yaml: line 3:
// ...`, `... json parse error: ...`). Duplicate keys are collected for strict field
// validation (apimachinery runtime/serializer/json: `duplicate field "metadata.name"`).
import { parseDocument, isMap, isSeq, isScalar, type Node as YamlNode } from 'yaml';
import { StatusError, newBadRequest } from '../../api/errors.js';
import { decodeProtobufObject } from './protobuf-body.js';

export type BodyFormat = 'json' | 'yaml' | 'protobuf';

export interface DecodedBody {
  value: unknown;
  /** Paths of keys that appeared twice in one object (`metadata.name`); the last one wins. */
  duplicateFields: string[];
}

/** The media type of a Content-Type header, lowercased, without parameters. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** 415 for a body type the create/update handlers do not read. */
export function newUnsupportedBodyType(contentType: string): StatusError {
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf; got ${contentType}`,
    reason: 'UnsupportedMediaType',
    code: 415,
  });
}

/** json | yaml for the object media types; undefined for anything else (415). */
export function bodyFormat(contentType: string | undefined): BodyFormat | undefined {
  const mt = mediaType(contentType);
  if (mt === '' || mt === 'application/json' || mt === '*/*') {
    return 'json';
  }
  if (mt === 'application/yaml' || mt === 'application/x-yaml' || mt === 'text/yaml') {
    return 'yaml';
  }
  if (mt === 'application/vnd.kubernetes.protobuf') {
    return 'protobuf';
  }
  return undefined;
}

function joinPath(base: string, key: string): string {
  return base ? `${base}.${key}` : key;
}

function collectDuplicates(node: YamlNode | null | undefined, path: string, out: string[]): void {
  if (isMap(node)) {
    const seen = new Set<string>();
    for (const pair of node.items) {
      const k = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const p = joinPath(path, k);
      if (seen.has(k)) {
        out.push(p);
      }
      seen.add(k);
      collectDuplicates(pair.value as YamlNode, p, out);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => collectDuplicates(item as YamlNode, `${path}[${i}]`, out));
  }
}

/**
 * Parses body as JSON or YAML (JSON is YAML too; apply-patch bodies are parsed as YAML).
 * An empty body is a 400 (`... body is empty`-style messages are per handler, so the
 * caller decides); here an empty body yields value undefined.
 */
export function decodeBody(body: Buffer, format: BodyFormat): DecodedBody {
  if (format === 'protobuf') {
    const value = decodeProtobufObject(new Uint8Array(body));
    if (value === undefined) {
      throw newUnsupportedBodyType('application/vnd.kubernetes.protobuf');
    }
    return { value, duplicateFields: [] };
  }
  const text = body.toString('utf8');
  if (text.trim() === '') {
    return { value: undefined, duplicateFields: [] };
  }
  if (format === 'json') {
    try {
      const value: unknown = JSON.parse(text);
      return { value, duplicateFields: jsonDuplicateFields(text) };
    } catch (e) {
      // The JSON serializer's wording (runtime/serializer/json: `couldn't get version/kind; json parse error: ...`).
      throw newBadRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
    }
  }
  const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false, version: '1.2' });
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const line = err.linePos?.[0]?.line;
    const where = line !== undefined ? `line ${line}: ` : '';
    throw newBadRequest(`error converting YAML to JSON: yaml: ${where}${err.message.split('\n')[0]}`);
  }
  const duplicateFields: string[] = [];
  collectDuplicates(doc.contents, '', duplicateFields);
  return { value: doc.toJS({ maxAliasCount: 100 }) as unknown, duplicateFields };
}

/**
 * Duplicate object keys in JSON text (already known to be valid JSON), as paths. One
 * pass over the text with a stack of open containers; only runs when some key text
 * occurs twice, which is common (`"name":`), so it must be cheap.
 */
export function jsonDuplicateFields(text: string): string[] {
  interface Frame {
    kind: 'object' | 'array';
    path: string;
    keys: Set<string>;
    index: number;
    key: string;
  }
  const out: string[] = [];
  const stack: Frame[] = [];
  const childPath = (f: Frame | undefined): string => {
    if (!f) {
      return '';
    }
    return f.kind === 'object' ? joinPath(f.path, f.key) : `${f.path}[${f.index}]`;
  };
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"') {
        j += text[j] === '\\' ? 2 : 1;
      }
      const top = stack[stack.length - 1];
      let k = j + 1;
      while (k < n && (text[k] === ' ' || text[k] === '\n' || text[k] === '\r' || text[k] === '\t')) {
        k++;
      }
      if (top?.kind === 'object' && text[k] === ':') {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.keys.has(key)) {
          out.push(joinPath(top.path, key));
        }
        top.keys.add(key);
        top.key = key;
        i = k + 1;
        continue;
      }
      i = j + 1;
      continue;
    }
    if (c === '{' || c === '[') {
      const parent = stack[stack.length - 1];
      stack.push({ kind: c === '{' ? 'object' : 'array', path: childPath(parent), keys: new Set(), index: 0, key: '' });
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top?.kind === 'array') {
        top.index++;
      }
    }
    i++;
  }
  return out;
}

/** The body must be a JSON object (not an array, string, number or null). */
export function requireObject(value: unknown, what: string): Record<string, unknown> {
  if (value === undefined) {
    throw newBadRequest(`${what}: the request body is empty`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw newBadRequest(`${what}: the request body must be a JSON or YAML object`);
  }
  return value as Record<string, unknown>;
}
