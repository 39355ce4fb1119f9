import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeProtobufObject } from './protobuf-body.js';

// A tiny protobuf writer: length-delimited fields and varints.
function varint(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) {
      b |= 0x80;
    }
    out.push(b);
  } while (n);
  return out;
}
const bytesField = (num: number, data: number[]): number[] => [
  ...varint((num << 3) | 2),
  ...varint(data.length),
  ...data,
];
const strField = (num: number, s: string): number[] => bytesField(num, [...Buffer.from(s, 'utf8')]);
const boolField = (num: number, v: boolean): number[] => [...varint(num << 3), v ? 1 : 0];
const mapEntry = (num: number, k: string, v: string): number[] =>
  bytesField(num, [...strField(1, k), ...strField(2, v)]);

function envelope(apiVersion: string, kind: string, raw: number[]): Uint8Array {
  return new Uint8Array([
    0x6b,
    0x38,
    0x73,
    0x00,
    ...bytesField(1, [...strField(1, apiVersion), ...strField(2, kind)]),
    ...bytesField(2, raw),
  ]);
}

test('a Namespace as kubectl create namespace sends it', () => {
  const meta = [...strField(1, 'foo'), ...bytesField(8, []), ...mapEntry(11, 'team', 'a')];
  const body = envelope('v1', 'Namespace', [...bytesField(1, meta), ...bytesField(2, []), ...bytesField(3, [])]);
  assert.deepEqual(decodeProtobufObject(body), {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'foo', labels: { team: 'a' } },
    spec: {},
  });
});

test('ConfigMap data and Secret bytes (base64 in JSON)', () => {
  const cm = envelope('v1', 'ConfigMap', [
    ...bytesField(1, strField(1, 'cm')),
    ...mapEntry(2, 'a', 'b'),
    ...boolField(4, true),
  ]);
  assert.deepEqual(decodeProtobufObject(cm), {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cm' },
    data: { a: 'b' },
    immutable: true,
  });
  const secret = envelope('v1', 'Secret', [
    ...bytesField(1, strField(1, 's')),
    ...mapEntry(2, 'p', 'secret'),
    ...strField(3, 'Opaque'),
  ]);
  assert.deepEqual(decodeProtobufObject(secret), {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's' },
    data: { p: 'c2VjcmV0' },
    type: 'Opaque',
  });
});

test('other kinds are not read (undefined), and a body without the magic is a 400', () => {
  assert.equal(decodeProtobufObject(envelope('v1', 'Pod', [])), undefined);
  assert.throws(() => decodeProtobufObject(new Uint8Array([1, 2, 3, 4])), {
    message: /expected prefix \[107 56 115 0\]/,
  });
});
