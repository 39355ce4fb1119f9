// The string-format checks of apimachinery/pkg/util/validation, message for message.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  isCIdentifier,
  isConfigMapKey,
  isDNS1123Label,
  isDNS1123Subdomain,
  isEnvVarName,
  isIPSloppy,
  isQualifiedName,
  isRelaxedEnvVarName,
  isValidLabelValue,
  isValidPortName,
  nameIsDNSSubdomain,
  nameIsPathSegment,
  regexError,
} from './names.js';
import { LABEL_MSG, LABEL_VALUE_MSG, QUALIFIED_NAME_MSG, SUBDOMAIN_MSG } from './testing/fixtures.js';

const cases: Record<string, { got: () => string[]; want: string[] }> = {
  'accepts a DNS label': { got: () => isDNS1123Label('my-name-1'), want: [] },
  'rejects upper case in a DNS label with the regex message': { got: () => isDNS1123Label('My'), want: [LABEL_MSG] },
  'says "must not contain dots" for a subdomain used as a label': {
    got: () => isDNS1123Label('a.b'),
    want: ['must not contain dots'],
  },
  'reports both length and format of a long bad label': {
    got: () => isDNS1123Label(`${'a'.repeat(63)}_`),
    want: ['must be no more than 63 characters', LABEL_MSG],
  },
  'accepts a subdomain': { got: () => isDNS1123Subdomain('example.com'), want: [] },
  'rejects a subdomain ending in a dot': { got: () => isDNS1123Subdomain('example.'), want: [SUBDOMAIN_MSG] },
  'rejects a subdomain longer than 253 characters': {
    got: () => isDNS1123Subdomain('a'.repeat(254)),
    want: ['must be no more than 253 characters'],
  },
  'masks a trailing dash of a generateName prefix as upstream does': {
    got: () => nameIsDNSSubdomain('web-', true),
    want: [],
  },
  'accepts a qualified name with a prefix': { got: () => isQualifiedName('example.com/My_name.1'), want: [] },
  'rejects an empty qualified-name prefix': {
    got: () => isQualifiedName('/a'),
    want: ['prefix part must be non-empty'],
  },
  'rejects a bad qualified-name prefix': {
    got: () => isQualifiedName('Example.com/a'),
    want: [`prefix part ${SUBDOMAIN_MSG}`],
  },
  'rejects an empty qualified-name name part': {
    got: () => isQualifiedName('example.com/'),
    want: ['name part must be non-empty', QUALIFIED_NAME_MSG],
  },
  'rejects a 64-character qualified-name name part': {
    got: () => isQualifiedName('a'.repeat(64)),
    want: ['name part must be no more than 63 characters'],
  },
  'accepts an empty label value': { got: () => isValidLabelValue(''), want: [] },
  'rejects a label value with a space': { got: () => isValidLabelValue('a b'), want: [LABEL_VALUE_MSG] },
  'rejects a 64-character label value': {
    got: () => isValidLabelValue('a'.repeat(64)),
    want: ['must be no more than 63 characters'],
  },
  'accepts a C identifier': { got: () => isCIdentifier('_my_name1'), want: [] },
  'rejects a C identifier starting with a digit': {
    got: () => isCIdentifier('1a'),
    want: [
      "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_' (e.g. 'my_name',  or 'MY_NAME',  or 'MyName', regex used for validation is '[A-Za-z_][A-Za-z0-9_]*')",
    ],
  },
  'rejects a strict env var name starting with a digit': {
    got: () => isEnvVarName('1A'),
    want: [
      "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')",
    ],
  },
  'rejects the strict env var name ..': { got: () => isEnvVarName('..'), want: ["must not be '..'"] },
  'accepts a relaxed env var name with spaces and digits first': { got: () => isRelaxedEnvVarName('1 A:b'), want: [] },
  'rejects a relaxed env var name with a non-ASCII character': {
    got: () => isRelaxedEnvVarName('CAFÉ'),
    want: ["a valid environment variable name must consist only of printable ASCII characters other than '='"],
  },
  'rejects a config key with a slash': {
    got: () => isConfigMapKey('a/b'),
    want: [
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    ],
  },
  'rejects a config key starting with ..': { got: () => isConfigMapKey('..data'), want: ["must not start with '..'"] },
  'rejects a config key that is .': { got: () => isConfigMapKey('.'), want: ["must not be '.'"] },
  'collects every port-name problem': {
    got: () => isValidPortName('-A--'),
    want: [
      'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      'must contain at least one letter (a-z)',
      'must not contain consecutive hyphens',
      'must not begin or end with a hyphen',
    ],
  },
  'rejects path-segment names . and /': {
    got: () => [...nameIsPathSegment('.', false), ...nameIsPathSegment('a/b', false)],
    want: ["may not be '.'", "may not contain '/'"],
  },
};

for (const [name, c] of Object.entries(cases)) {
  test(name, () => {
    assert.deepEqual(c.got(), c.want);
  });
}

test('RegexError puts a comma and a space after every example', () => {
  assert.equal(regexError('m', 'f'), "m (regex used for validation is 'f')");
  assert.equal(regexError('m', 'f', 'a', 'b'), "m (e.g. 'a',  or 'b', regex used for validation is 'f')");
});

test('parses IPv4 and IPv6 addresses sloppily, as netutils does', () => {
  for (const ok of [
    '10.0.0.1',
    '010.000.000.001',
    '::1',
    'fd00::1',
    '2001:db8::ffff',
    '::ffff:10.0.0.1',
    '1:2:3:4:5:6:7:8',
  ]) {
    assert.equal(isIPSloppy(ok), true, ok);
  }
  for (const bad of ['10.0.0.256', '10.0.0', 'dns', '1::2::3', '1:2:3:4:5:6:7:8:9', '']) {
    assert.equal(isIPSloppy(bad), false, bad);
  }
});
