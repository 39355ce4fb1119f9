#!/usr/bin/env node
// Generates src/apiserver/openapi/k8s-schemas.json: the OpenAPI v3 component schemas of the
// kinds podbay serves (and everything they reference), in the form kube-apiserver v1.32
// publishes them under /openapi/v3 (k8s.io/kube-openapi builder3). Run it by hand and commit
// the output: `node scripts/gen-openapi.mjs` (needs the npm registry and kubectl v1.32).
//
// Where each fact comes from (none is written by hand here; the three npm packages are
// generated from the upstream OpenAPI spec and fetched with `npm pack`, pinned by integrity):
// - Fields, their types and references: kubernetes-types 1.30.0 for the types it has;
//   @kubernetes/client-node 1.1.2 (generated from the v1.32.0 spec) for integer formats,
//   required fields, and the fields and types added in 1.31/1.32.
// - Descriptions: client-node's v1.32 text, with the paragraphs of kubernetes-types or
//   kubernetes-models 4.5.1 (v1.33) when their text is the same (client-node flattens them).
// - enum and the "Possible enum values" text: kubernetes-models, where the rest of the
//   description is the v1.32 one.
// - x-kubernetes-group-version-kind: the literal apiVersion/kind of each kind in kubernetes-types.
// - x-kubernetes-patch-strategy / x-kubernetes-patch-merge-key: kubectl v1.32's own
//   strategic-merge-patch metadata (the Go struct tags of k8s.io/api it is built with), read
//   by probing `kubectl patch --local` on every list field, plus, from the struct tags
//   compiled into the kubectl binary, `retainKeys` and the lists no probe can reach.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'src/apiserver/openapi/k8s-schemas.json');
const KUBECTL = process.env.KUBECTL ?? 'kubectl';

const PACKAGES = {
  types: {
    spec: 'kubernetes-types@1.30.0',
    integrity: 'sha512-Dew1okvhM/SQcIa2rcgujNndZwU8VnSapDgdxlYoB84ZlpAD43U6KLAFqYo17ykSFGHNPrg0qry0bP+GJd9v7Q==',
  },
  // Only for enums: the one release whose spec carries them, v1.33's; an enum is taken only
  // where the field's description (without its enum list) reads as in v1.32.
  models: {
    spec: 'kubernetes-models@4.5.1',
    integrity: 'sha512-M/dxDW9hLjVQkRJkMAZbYLLbIj5ZrItgL9ZLJhla2bURUHhQ1CoLAz0+2bcfvAVgu0KFwP9x0kjypYVdWYajXw==',
  },
  client: {
    spec: '@kubernetes/client-node@1.1.2',
    integrity: 'sha512-kkE0D8zB5rIQoR6SUwlHUyQtpLvrW0gXOd2MabQsql7I2oPnMA8pb50A1MWB4yH0eX29t45gxs7lOVlS0UPsiw==',
  },
};

/** kubernetes-types module → upstream OpenAPI package prefix. */
const MODULES = {
  'core/v1': 'io.k8s.api.core.v1',
  'meta/v1': 'io.k8s.apimachinery.pkg.apis.meta.v1',
  'coordination/v1': 'io.k8s.api.coordination.v1',
  'events/v1': 'io.k8s.api.events.v1',
  'api/resource': 'io.k8s.apimachinery.pkg.api.resource',
  runtime: 'io.k8s.apimachinery.pkg.runtime',
};
/** client-node class-name prefixes per package, most specific first. */
const CLIENT_PREFIXES = {
  'io.k8s.api.core.v1': ['CoreV1', 'V1'],
  'io.k8s.api.events.v1': ['EventsV1', 'V1'],
  'io.k8s.api.coordination.v1': ['V1'],
  'io.k8s.apimachinery.pkg.apis.meta.v1': ['V1'],
};
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
// kubernetes-types inlines IntOrString as `number | string`; its description is the doc
// comment of k8s.io/apimachinery/pkg/util/intstr/intstr.go, as the OpenAPI spec carries it.
const INT_OR_STRING_DESCRIPTION =
  'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.';
/** The kinds whose closure is generated: every kind podbay serves, its list, and the meta kinds. */
const ROOTS = [
  ['io.k8s.api.core.v1', ['Pod', 'PodList', 'Namespace', 'NamespaceList', 'Node', 'NodeList', 'Event', 'EventList']],
  ['io.k8s.api.core.v1', ['ConfigMap', 'ConfigMapList', 'Secret', 'SecretList', 'Binding']],
  ['io.k8s.api.coordination.v1', ['Lease', 'LeaseList']],
  ['io.k8s.api.events.v1', ['Event', 'EventList']],
  [META, ['Status', 'DeleteOptions', 'WatchEvent', 'APIResourceList']],
];

function fetchPackage({ spec, integrity }, dir) {
  const out = execFileSync('npm', ['pack', spec, '--json', '--pack-destination', dir], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const [info] = JSON.parse(out);
  if (info.integrity !== integrity) {
    throw new Error(`${spec}: integrity ${info.integrity}, expected ${integrity}`);
  }
  const to = join(dir, info.name.replace(/[@/]/g, '_'));
  execFileSync('mkdir', ['-p', to]);
  execFileSync('tar', ['xzf', join(dir, info.filename), '-C', to]);
  return join(to, 'package');
}

function docOf(node) {
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  const last = docs.at(-1);
  const text = last ? ts.getTextOfJSDocComment(last.comment) : undefined;
  return text?.trim() || undefined;
}

/** kubernetes-types: name → { pkg, description, props: Map<name, {optional, type, description}> } | alias. */
function readKubernetesTypes(dir) {
  const types = new Map();
  for (const [mod, pkg] of Object.entries(MODULES)) {
    const file = join(dir, `${mod}.d.ts`);
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const imports = new Map();
    for (const st of sf.statements) {
      if (ts.isImportDeclaration(st)) {
        const from = join(dirname(mod), st.moduleSpecifier.text).replace(/^\.\//, '');
        for (const el of st.importClause?.namedBindings?.elements ?? []) {
          imports.set(el.name.text, MODULES[from]);
        }
      }
    }
    const resolveName = (name) => `${imports.get(name) ?? pkg}.${name}`;
    for (const st of sf.statements) {
      if (ts.isInterfaceDeclaration(st)) {
        const props = new Map();
        for (const m of st.members) {
          if (ts.isPropertySignature(m)) {
            props.set(m.name.getText(sf).replace(/^"|"$/g, ''), {
              optional: m.questionToken !== undefined,
              type: m.type,
              description: docOf(m),
            });
          }
        }
        types.set(`${pkg}.${st.name.text}`, {
          pkg,
          name: st.name.text,
          description: docOf(st),
          props,
          resolveName,
          sf,
        });
      } else if (ts.isTypeAliasDeclaration(st)) {
        types.set(`${pkg}.${st.name.text}`, { pkg, name: st.name.text, description: docOf(st), alias: st.type, sf });
      }
    }
  }
  return types;
}

/** kubernetes-models directories → upstream package. */
const MODEL_DIRS = {
  v1: 'io.k8s.api.core.v1',
  'coordination.k8s.io/v1': 'io.k8s.api.coordination.v1',
  'events.k8s.io/v1': 'io.k8s.api.events.v1',
};
const ENUM_SUFFIX = '\n\nPossible enum values:\n';

/**
 * kubernetes-models: `enums`, "pkg.Type.field" → { values, isArray, description } for fields
 * typed as a union of string literals, and `docs`, "pkg.Type.field" → description.
 */
function readModels(dir) {
  const enums = new Map();
  const docs = new Map();
  const literals = (t) =>
    t && ts.isUnionTypeNode(t) && t.types.every((x) => ts.isLiteralTypeNode(x) && ts.isStringLiteral(x.literal))
      ? t.types.map((x) => x.literal.text)
      : undefined;
  for (const [sub, pkg] of Object.entries(MODEL_DIRS)) {
    for (const f of readdirSync(join(dir, sub)).filter((n) => n.endsWith('.d.ts') && n !== 'index.d.ts')) {
      const sf = ts.createSourceFile(f, readFileSync(join(dir, sub, f), 'utf8'), ts.ScriptTarget.Latest, true);
      const type = f.replace(/\.d\.ts$/, '');
      const iface = sf.statements.find((st) => ts.isInterfaceDeclaration(st) && st.name.text === `I${type}`);
      const typeDoc = iface && docOf(iface)?.replace(/\\\*/g, '*');
      if (typeDoc) {
        docs.set(`${pkg}.${type}`, typeDoc);
      }
      for (const m of iface?.members ?? []) {
        if (!ts.isPropertySignature(m) || !m.type) {
          continue;
        }
        const isArray = ts.isTypeReferenceNode(m.type) && m.type.typeName.getText(sf) === 'Array';
        const values = literals(isArray ? m.type.typeArguments?.[0] : m.type);
        // kubernetes-models escapes `*` in its doc comments.
        const description = docOf(m)
          ?.replace(/\\\*/g, '*')
          .replace(/\*\\\//g, '*/');
        const key = `${pkg}.${type}.${m.name.getText(sf).replace(/^"|"$/g, '')}`;
        if (description) {
          docs.set(key, description);
        }
        if (values && description?.includes(ENUM_SUFFIX)) {
          enums.set(key, { values, isArray, description });
        }
      }
    }
  }
  return { enums, docs };
}

const unescapeClient = (s) => s?.replace(/\\(['"\\])/g, '$1');

/** client-node 1.1.x models: class name → { description, props: Map<name, {optional, type, format, description}> }. */
async function readClientNode(dir) {
  const models = join(dir, 'dist/gen/models');
  const classes = new Map();
  for (const f of readdirSync(models).filter((n) => n.endsWith('.d.ts'))) {
    const sf = ts.createSourceFile(f, readFileSync(join(models, f), 'utf8'), ts.ScriptTarget.Latest, true);
    const cls = sf.statements.find(ts.isClassDeclaration);
    if (!cls?.name) {
      continue;
    }
    const js = await import(pathToFileURL(join(models, f.replace(/\.d\.ts$/, '.js'))).href);
    const attrs = js[cls.name.text]?.attributeTypeMap ?? [];
    const props = new Map();
    for (const m of cls.members) {
      if (ts.isPropertyDeclaration(m) && m.type && !m.modifiers?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword)) {
        const name = m.name.getText(sf).replace(/^'|'$/g, '');
        const attr = attrs.find((a) => a.baseName === name);
        props.set(name, {
          optional: m.questionToken !== undefined,
          type: m.type.getText(sf),
          format: attr?.format || undefined,
          description: unescapeClient(docOf(m)),
        });
      }
    }
    classes.set(cls.name.text, { description: unescapeClient(docOf(cls)), props });
  }
  return classes;
}

/** A client-node property type that is no reference to another model (its description is its own). */
function isPrimitive(t) {
  return /^(string|number|boolean|Array<(string|number|boolean)>|\{\s*\[key: string\]: (string|number|boolean);?\s*\})$/.test(
    t,
  );
}

const descriptionSources = { 'kubernetes-types': 0, 'kubernetes-models': 0, 'client-node': 0 };

/**
 * The description to publish. client-node (v1.32) has the right text but with its line
 * breaks turned into spaces; kubernetes-types (v1.30) and kubernetes-models (v1.33) keep
 * the paragraphs. The first of those whose text, flattened, is client-node's wins.
 */
function pickDescription(kt, cn, km) {
  const kmBase = km?.includes(ENUM_SUFFIX) ? km.slice(0, km.indexOf(ENUM_SUFFIX)) : km;
  const pick = (source, text) => {
    descriptionSources[source]++;
    return text;
  };
  if (cn === undefined) {
    return kt === undefined ? undefined : pick('kubernetes-types', kt);
  }
  if (kt !== undefined && kt.replace(/\n/g, ' ') === cn) {
    return pick('kubernetes-types', kt);
  }
  if (kmBase !== undefined && kmBase.replace(/\n/g, ' ') === cn) {
    return pick('kubernetes-models', kmBase);
  }
  return pick('client-node', cn);
}

const ref = (name) => `#/components/schemas/${name}`;

function main() {
  return generate().catch((e) => {
    process.stderr.write(`${e.stack ?? e}\n`);
    process.exit(1);
  });
}

async function generate() {
  const work = mkdtempSync(join(tmpdir(), 'podbay-gen-openapi-'));
  try {
    const kt = readKubernetesTypes(fetchPackage(PACKAGES.types, work));
    const cn = await readClientNode(fetchPackage(PACKAGES.client, work));
    const models = readModels(fetchPackage(PACKAGES.models, work));
    const schemas = buildSchemas(kt, cn, models.docs);
    addEnums(schemas, models.enums);
    addMissingDescriptions(schemas, models.docs);
    addPatchMetadata(schemas);
    addMetaKinds(schemas);
    const out = {
      comment:
        'Generated by scripts/gen-openapi.mjs from kubernetes-types 1.30.0, @kubernetes/client-node 1.1.2 (OpenAPI v1.32.0), kubernetes-models 4.5.1 (enums) and kubectl v1.32 strategic-merge metadata; do not edit.',
      schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => (a < b ? -1 : 1))),
    };
    writeFileSync(OUT, `${JSON.stringify(out, null, 2)}\n`);
    execFileSync('npx', ['prettier', '--write', '--log-level', 'warn', OUT], { cwd: ROOT, stdio: 'inherit' });
    process.stdout.write(`descriptions from ${JSON.stringify(descriptionSources)}\n`);
    process.stdout.write(`wrote ${Object.keys(schemas).length} schemas to ${OUT}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function buildSchemas(kt, cn, modelDocs) {
  const schemas = {};
  const queue = [];
  const want = (name) => {
    if (!(name in schemas) && !queue.includes(name)) {
      queue.push(name);
    }
  };
  for (const [pkg, names] of ROOTS) {
    names.forEach((n) => want(`${pkg}.${n}`));
  }
  /** client-node class of an upstream schema name, or undefined. */
  const classOf = (name) => {
    const i = name.lastIndexOf('.');
    const pkg = name.slice(0, i);
    const short = name.slice(i + 1);
    for (const p of CLIENT_PREFIXES[pkg] ?? []) {
      if (cn.has(p + short)) {
        return cn.get(p + short);
      }
    }
    return undefined;
  };
  /** Upstream schema name of a client-node class (a type kubernetes-types 1.30 lacks is core/v1). */
  const nameOfClass = (cls) => {
    for (const [pkg, prefixes] of Object.entries(CLIENT_PREFIXES)) {
      for (const p of prefixes) {
        if (
          cls.startsWith(p) &&
          kt.has(`${pkg}.${cls.slice(p.length)}`) &&
          cn.get(cls) === classOf(`${pkg}.${cls.slice(p.length)}`)
        ) {
          return `${pkg}.${cls.slice(p.length)}`;
        }
      }
    }
    return `io.k8s.api.core.v1.${cls.replace(/^(CoreV1|V1)/, '')}`;
  };

  /** A property schema from a kubernetes-types type node. */
  const fromKt = (t, owner, format) => {
    switch (t.kind) {
      case ts.SyntaxKind.StringKeyword:
      case ts.SyntaxKind.LiteralType:
        return format === 'byte' ? { format, type: 'string' } : { type: 'string' };
      case ts.SyntaxKind.NumberKeyword:
        return format === 'double' ? { type: 'number', format } : { type: 'integer', ...(format ? { format } : {}) };
      case ts.SyntaxKind.BooleanKeyword:
        return { type: 'boolean' };
      case ts.SyntaxKind.UnionType:
        want(INT_OR_STRING);
        return { $ref: ref(INT_OR_STRING) };
      case ts.SyntaxKind.TypeLiteral: {
        const index = t.members.find(ts.isIndexSignatureDeclaration);
        return { type: 'object', additionalProperties: item(fromKt(index.type, owner, format)) };
      }
      case ts.SyntaxKind.TypeReference: {
        const n = t.typeName.getText(owner.sf);
        if (n === 'Array') {
          return { type: 'array', items: item(fromKt(t.typeArguments[0], owner, format)) };
        }
        const target = owner.resolveName(n);
        want(target);
        return { $ref: ref(target) };
      }
      default:
        throw new Error(`unknown type node ${ts.SyntaxKind[t.kind]} in ${owner.name}`);
    }
  };
  /** A property schema from a client-node type string. */
  const fromCn = (t, format) => {
    const arr = /^Array<(.+)>$/.exec(t);
    if (arr) {
      return { type: 'array', items: item(fromCn(arr[1], format)) };
    }
    const map = /^\{\s*\[key: string\]: (.+?);?\s*\}$/.exec(t);
    if (map) {
      return { type: 'object', additionalProperties: item(fromCn(map[1], format)) };
    }
    switch (t) {
      case 'string':
        return format === 'byte' ? { format, type: 'string' } : { type: 'string' };
      case 'number':
        return format === 'double' ? { type: 'number', format } : { type: 'integer', ...(format ? { format } : {}) };
      case 'boolean':
        return { type: 'boolean' };
      case 'Date':
        want(`${META}.Time`);
        return { $ref: ref(`${META}.Time`) };
      case 'IntOrString':
        want(INT_OR_STRING);
        return { $ref: ref(INT_OR_STRING) };
      default: {
        if (!cn.has(t)) {
          throw new Error(`unknown client-node type ${t}`);
        }
        const target = nameOfClass(t);
        want(target);
        return { $ref: ref(target) };
      }
    }
  };
  // Items and map values: kube-openapi wraps a reference in allOf with the zero value of a
  // non-pointer element as default; scalar elements carry their zero value too.
  function item(s) {
    if (s.$ref) {
      return s.$ref.endsWith('.Quantity') ? s : { allOf: [s], default: {} };
    }
    // A []byte element has no zero-value default (nil), a string one has "", a number 0.
    if (s.type === 'string' && s.format !== 'byte') {
      return { default: '', ...s };
    }
    if (s.type === 'integer' || s.type === 'number') {
      return { default: 0, ...s };
    }
    return s;
  }
  const withDescription = (s, description) => {
    if (!description) {
      return s;
    }
    return s.$ref ? { allOf: [s], description } : { description, ...s };
  };

  while (queue.length > 0) {
    const name = queue.shift();
    const k = kt.get(name);
    const c = classOf(name);
    if (name === INT_OR_STRING) {
      schemas[name] = {
        description: INT_OR_STRING_DESCRIPTION,
        format: 'int-or-string',
        oneOf: [{ type: 'integer' }, { type: 'string' }],
      };
      continue;
    }
    if (k?.alias) {
      // builder3 publishes the OpenAPIV3OneOfTypes of Quantity (string or number) and the
      // OpenAPISchemaType/Format of Time and MicroTime (resource/quantity.go, meta/v1/time.go).
      schemas[name] = name.endsWith('.Quantity')
        ? { description: k.description, oneOf: [{ type: 'string' }, { type: 'number' }] }
        : { description: k.description, format: 'date-time', type: 'string' };
      continue;
    }
    if (!k && !c) {
      throw new Error(`no source for ${name}`);
    }
    const props = {};
    const required = [];
    const names = new Set([...(k?.props.keys() ?? []), ...(c?.props.keys() ?? [])]);
    for (const p of [...names].sort()) {
      const kp = k?.props.get(p);
      const cp = c?.props.get(p);
      if (k && c && !cp) {
        continue; // removed by v1.32
      }
      const format = cp?.format && cp.format !== 'date-time' ? cp.format : undefined;
      const s = kp ? fromKt(kp.type, k, format) : fromCn(cp.type, format);
      // openapi-generator gives a referenced type's own description to a field of that type.
      const cnDescription = cp && isPrimitive(cp.type) ? cp.description : undefined;
      props[p] = withDescription(s, pickDescription(kp?.description, cnDescription, modelDocs.get(`${name}.${p}`)));
      if (!(cp ?? kp).optional) {
        required.push(p);
      }
    }
    const schema = {
      description: pickDescription(k?.description, c?.description, modelDocs.get(name)),
      properties: props,
    };
    if (Object.keys(props).length === 0) {
      delete schema.properties;
    }
    if (required.length > 0) {
      schema.required = required;
    }
    schema.type = 'object';
    const gvk = groupVersionKind(k);
    if (gvk) {
      schema['x-kubernetes-group-version-kind'] = [gvk];
    }
    schemas[name] = schema;
  }
  return schemas;
}

/**
 * kube-openapi publishes a `+enum` type's values as `enum` and appends them, with their
 * doc comments, to the field's description ("Possible enum values:"). Taken from
 * kubernetes-models where its description, less that list, is the one generated here.
 */
function addEnums(schemas, enums) {
  const flat = (d) => d?.replace(/\s+/g, ' ').trim();
  let added = 0;
  for (const [key, e] of enums) {
    const i = key.lastIndexOf('.');
    const prop = schemas[key.slice(0, i)]?.properties?.[key.slice(i + 1)];
    if (!prop) {
      continue;
    }
    const base = e.description.slice(0, e.description.indexOf(ENUM_SUFFIX));
    if (flat(base) !== flat(prop.description)) {
      if (process.env.DEBUG_ENUMS) {
        process.stdout.write(`skip ${key}\n  ours:   ${flat(prop.description)}\n  models: ${flat(base)}\n`);
      }
      continue;
    }
    prop.description = `${prop.description}${e.description.slice(e.description.indexOf(ENUM_SUFFIX))}`;
    const target = e.isArray ? prop.items : prop;
    if (target.type !== 'string') {
      throw new Error(`${key}: enum on a ${target.type}`);
    }
    target.enum = e.values;
    added++;
  }
  process.stdout.write(`added ${added} enums of ${enums.size}\n`);
}

/**
 * A field added in v1.31/v1.32 whose type is a reference has no description in either
 * v1.32-era source (kubernetes-types is v1.30; client-node drops descriptions of
 * references); kubernetes-models (v1.33) has one.
 */
function addMissingDescriptions(schemas, docs) {
  for (const [name, schema] of Object.entries(schemas)) {
    for (const [field, prop] of Object.entries(schema.properties ?? {})) {
      const doc = docs.get(`${name}.${field}`);
      if (prop.description === undefined && doc !== undefined) {
        const { $ref, ...rest } = prop;
        schema.properties[field] = $ref
          ? { allOf: [{ $ref }], description: doc, ...rest }
          : { description: doc, ...rest };
      }
    }
  }
}

/**
 * The meta kinds every group-version serves carry one GVK per group-version (builder3 tags a
 * type with each GVK the scheme registers it under): DeleteOptions and WatchEvent in each
 * served group-version, Status in the core group only.
 */
function addMetaKinds(schemas) {
  const gvs = new Map();
  for (const s of Object.values(schemas)) {
    for (const { group, version } of s['x-kubernetes-group-version-kind'] ?? []) {
      gvs.set(`${group}/${version}`, { group, version });
    }
  }
  const sorted = [...gvs.values()].sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
  for (const kind of ['DeleteOptions', 'WatchEvent']) {
    schemas[`${META}.${kind}`]['x-kubernetes-group-version-kind'] = sorted.map((gv) => ({
      group: gv.group,
      kind,
      version: gv.version,
    }));
  }
  schemas[`${META}.Status`]['x-kubernetes-group-version-kind'] = [{ group: '', kind: 'Status', version: 'v1' }];
}

/** The GVK of a kind from its literal apiVersion and kind in kubernetes-types. */
function groupVersionKind(k) {
  const av = k?.props.get('apiVersion')?.type;
  const kind = k?.props.get('kind')?.type;
  if (!av || !kind || !ts.isLiteralTypeNode(av) || !ts.isLiteralTypeNode(kind)) {
    return undefined;
  }
  const apiVersion = av.literal.text;
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return { group, kind: kind.literal.text, version };
}

// ---- strategic-merge metadata from kubectl -------------------------------------------------

function checkKubectl() {
  const v = execFileSync(KUBECTL, ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
  const minor = JSON.parse(v).clientVersion?.minor?.replace(/\+$/, '');
  if (minor !== '32') {
    throw new Error(`${KUBECTL} is v1.${minor}; the patch metadata must come from kubectl v1.32`);
  }
}

/**
 * The patch struct tags compiled into the kubectl binary, by JSON field name: a set of
 * "strategy|mergeKey". Probing cannot see `retainKeys` (SMP applies a $retainKeys directive
 * whatever the strategy) nor a list inside a list that is replaced whole (SMP never looks
 * into it); these tags fill both. The gcloud kubectl is a dispatcher beside kubectl.1.NN.
 */
function patchTags() {
  const bin = execFileSync('readlink', ['-f', execFileSync('which', [KUBECTL], { encoding: 'utf8' }).trim()], {
    encoding: 'utf8',
  }).trim();
  const real = spawnSync('test', ['-x', `${bin}.1.32`]).status === 0 ? `${bin}.1.32` : bin;
  const r = spawnSync('strings', ['-n', '12', real], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const tags = new Map();
  for (const m of (r.stdout ?? '').matchAll(
    /json:"([A-Za-z]+)[^"]*" patchStrategy:"([^"]*)"(?: patchMergeKey:"([^"]*)")?/g,
  )) {
    const set = tags.get(m[1]) ?? new Set();
    set.add(`${m[2]}|${m[3] ?? ''}`);
    tags.set(m[1], set);
  }
  if (tags.size === 0) {
    throw new Error(`found no patchStrategy tags in ${real}`);
  }
  return tags;
}

/** Runs `kubectl patch --local` of `patch` onto `obj`; the patched object or the error text. */
function localPatch(work, obj, patch) {
  const file = join(work, 'obj.json');
  writeFileSync(file, JSON.stringify(obj));
  const r = spawnSync(
    KUBECTL,
    ['patch', '-f', file, '--local', '--type', 'strategic', '-p', JSON.stringify(patch), '-o', 'json'],
    { encoding: 'utf8' },
  );
  return r.status === 0 ? { obj: JSON.parse(r.stdout) } : { error: r.stderr };
}

/** Sets `value` at `path` (segments: {field, key?}) in a fresh object; list ancestors hold one keyed item. */
function build(kind, path, value) {
  const root = { apiVersion: kind.apiVersion, kind: kind.kind, metadata: { name: 'probe' } };
  let cur = root;
  path.forEach((seg, i) => {
    const last = i === path.length - 1;
    if (last) {
      cur[seg.field] = value;
    } else if (seg.key) {
      const itemObj = { [seg.key]: 'k' };
      cur[seg.field] = [itemObj];
      cur = itemObj;
    } else {
      cur[seg.field] ??= {};
      cur = cur[seg.field];
    }
  });
  return root;
}

function get(obj, path) {
  let cur = obj;
  for (const seg of path) {
    cur = cur?.[seg.field];
    if (seg.key && Array.isArray(cur)) {
      cur = cur[0];
    }
  }
  return cur;
}

function targetOf(s) {
  if (s?.$ref) {
    return s.$ref.slice('#/components/schemas/'.length);
  }
  if (s?.allOf?.[0]?.$ref) {
    return s.allOf[0].$ref.slice('#/components/schemas/'.length);
  }
  return undefined;
}

function addPatchMetadata(schemas) {
  checkKubectl();
  const tags = patchTags();
  const work = mkdtempSync(join(tmpdir(), 'podbay-gen-openapi-probe-'));
  const facts = new Map(); // "Schema.field" → { strategy?, key? }
  const seen = new Set();
  const walk = (kind, schemaName, path, depth) => {
    const schema = schemas[schemaName];
    if (!schema?.properties || depth > 14) {
      return;
    }
    const visitKey = `${schemaName}@${path.map((s) => s.field).join('.')}`;
    if (seen.has(visitKey)) {
      return;
    }
    seen.add(visitKey);
    for (const [field, prop] of Object.entries(schema.properties)) {
      if (path.length === 0 && (field === 'apiVersion' || field === 'kind')) {
        continue;
      }
      const here = [...path, { field }];
      const factKey = `${schemaName}.${field}`;
      if (prop.type === 'array') {
        const itemTarget = targetOf(prop.items);
        const itemSchema = itemTarget ? schemas[itemTarget] : prop.items;
        let fact;
        if (itemSchema?.type === 'object' && itemSchema.properties) {
          const r = localPatch(work, build(kind, here, [{ probeOriginal: 'o' }]), build(kind, here, [{}]));
          const m = /does not contain declared merge key: ([A-Za-z]+)/.exec(r.error ?? '');
          if (r.error && !m) {
            throw new Error(`probe ${kind.kind} ${here.map((s) => s.field).join('.')}: ${r.error}`);
          }
          const retain = tags.get(field)?.has(`merge,retainKeys|${m?.[1]}`);
          fact = m ? { strategy: retain ? 'merge,retainKeys' : 'merge', key: m[1] } : {};
          if (m) {
            walk(kind, itemTarget, [...path, { field, key: m[1] }], depth + 1);
          }
        } else {
          const r = localPatch(work, build(kind, here, ['o']), build(kind, here, ['p']));
          if (r.error) {
            throw new Error(`probe ${kind.kind} ${here.map((s) => s.field).join('.')}: ${r.error}`);
          }
          fact = get(r.obj, here)?.length === 2 ? { strategy: 'merge' } : {};
        }
        const prev = facts.get(factKey);
        if (prev && JSON.stringify(prev) !== JSON.stringify(fact)) {
          throw new Error(`${factKey}: ${JSON.stringify(prev)} here, ${JSON.stringify(fact)} elsewhere`);
        }
        facts.set(factKey, fact);
      } else {
        const target = targetOf(prop);
        if (target && schemas[target]?.properties) {
          walk(kind, target, here, depth + 1);
        }
      }
    }
  };
  try {
    for (const [name, schema] of Object.entries(schemas)) {
      for (const gvk of schema['x-kubernetes-group-version-kind'] ?? []) {
        if (gvk.kind.endsWith('List') || gvk.kind === 'Binding') {
          continue;
        }
        const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
        walk({ apiVersion, kind: gvk.kind }, name, [], 0);
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  // Lists no probe reaches (inside a list SMP replaces whole, e.g. ContainerStatus.volumeMounts
  // under PodStatus.containerStatuses): the tag of their name, when every tag of it agrees.
  for (const [name, schema] of Object.entries(schemas)) {
    for (const [field, prop] of Object.entries(schema.properties ?? {})) {
      const key = `${name}.${field}`;
      const named = tags.get(field);
      if (prop.type !== 'array' || facts.has(key) || !named || named.size !== 1) {
        continue;
      }
      const [strategy, mergeKey] = [...named][0].split('|');
      facts.set(key, { strategy, key: mergeKey || undefined });
      process.stdout.write(`  ${key}: ${strategy} ${mergeKey} (struct tag; no probe reaches it)\n`);
    }
  }
  for (const [key, fact] of facts) {
    const i = key.lastIndexOf('.');
    const prop = schemas[key.slice(0, i)].properties[key.slice(i + 1)];
    if (fact.key) {
      prop['x-kubernetes-patch-merge-key'] = fact.key;
    }
    if (fact.strategy) {
      prop['x-kubernetes-patch-strategy'] = fact.strategy;
    }
  }
  process.stdout.write(`patch metadata of ${facts.size} list fields from ${KUBECTL}\n`);
}

await main();
