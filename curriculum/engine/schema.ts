import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../core/index';

/**
 * A small JSON Schema validator for the subset the curriculum schemas use: type, properties,
 * required, additionalProperties (false, or a schema every other field must meet), items, minItems, minLength, pattern, minimum, maximum,
 * enum and local `$ref`s (`#/$defs/...`). No npm package needed.
 */

/** A JSON Schema node (the subset above). */
export interface JsonSchema {
  $ref?: string;
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  minLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
  description?: string;
  $defs?: Record<string, JsonSchema>;
}

/** One schema violation: where (JSON path) and what. */
export interface SchemaError {
  /** JSON path, e.g. `$.lessons[0].title`. */
  path: string;
  kind: 'unknown-field' | 'missing-field' | 'wrong-type' | 'bad-value';
  message: string;
  hint: string;
}

/** Reads a schema shipped in `curriculum/schema/`, e.g. `module.schema.json`. */
export function readSchema(name: string): JsonSchema {
  return JSON.parse(readFileSync(join(projectRoot(), 'curriculum', 'schema', name), 'utf8')) as JsonSchema;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

const article = (t: string) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);

/** Validates `value` against `schema`, returning every error (empty when valid). */
export function validateAgainstSchema(value: unknown, schema: JsonSchema, root: JsonSchema = schema, path = '$'): SchemaError[] {
  if (schema.$ref) {
    const name = schema.$ref.replace(/^#\/\$defs\//, '');
    const target = root.$defs?.[name];
    if (!target) throw new Error(`Schema bug: unknown $ref ${schema.$ref}`);
    return validateAgainstSchema(value, { ...target, ...schema, $ref: undefined, description: schema.description ?? target.description }, root, path);
  }
  const errors: SchemaError[] = [];
  const what = schema.description ? ` (${schema.description})` : '';
  if (schema.type) {
    const actual = typeOf(value);
    const ok = actual === schema.type || (schema.type === 'number' && actual === 'integer');
    if (!ok) {
      errors.push({ path, kind: 'wrong-type', message: `${path} should be ${article(schema.type)} but is ${article(actual)}.`, hint: `Write ${path} as ${article(schema.type)}${what}.` });
      return errors;
    }
  }
  if (schema.enum && !schema.enum.some((e) => e === value)) {
    errors.push({ path, kind: 'bad-value', message: `${path} is ${JSON.stringify(value)}, which is not allowed.`, hint: `Use one of: ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}.` });
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) {
      errors.push({ path, kind: 'bad-value', message: `${path} is empty.`, hint: `Fill in ${path}${what}.` });
    } else if (schema.pattern && !new RegExp(schema.pattern).test(value)) {
      errors.push({ path, kind: 'bad-value', message: `${path} is ${JSON.stringify(value)}, which does not have the expected form.`, hint: `Write ${path} in the form ${schema.pattern}${what}.` });
    }
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) errors.push({ path, kind: 'bad-value', message: `${path} is ${value}, below the minimum ${schema.minimum}.`, hint: `Use a value of at least ${schema.minimum}${what}.` });
    if (schema.maximum !== undefined && value > schema.maximum) errors.push({ path, kind: 'bad-value', message: `${path} is ${value}, above the maximum ${schema.maximum}.`, hint: `Use a value of at most ${schema.maximum}${what}.` });
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      errors.push({ path, kind: 'bad-value', message: `${path} has ${value.length} item(s); at least ${schema.minItems} needed.`, hint: `Add to ${path}${what}.` });
    }
    if (schema.items) value.forEach((item, k) => errors.push(...validateAgainstSchema(item, schema.items!, root, `${path}[${k}]`)));
  }
  if (typeOf(value) === 'object') {
    const obj = value as Record<string, unknown>;
    const props = schema.properties ?? {};
    for (const req of schema.required ?? []) {
      if (!(req in obj)) {
        const d = props[req]?.description ?? props[req]?.$ref?.replace(/^#\/\$defs\//, '') ?? '';
        errors.push({ path: `${path}.${req}`, kind: 'missing-field', message: `${path} has no "${req}" field, which is required.`, hint: `Add "${req}"${d ? ` (${d})` : ''}.` });
      }
    }
    for (const [key, v] of Object.entries(obj)) {
      const sub = props[key];
      if (sub) errors.push(...validateAgainstSchema(v, sub, root, `${path}.${key}`));
      else if (typeof schema.additionalProperties === 'object') errors.push(...validateAgainstSchema(v, schema.additionalProperties, root, `${path}[${JSON.stringify(key)}]`));
      else if (schema.additionalProperties === false) {
        const known = Object.keys(props);
        const close = known.find((k) => k.toLowerCase() === key.toLowerCase() || editDistance(k, key) <= 2);
        errors.push({
          path: `${path}.${key}`,
          kind: 'unknown-field',
          message: `${path} has an unknown field "${key}".`,
          hint: close ? `Did you mean "${close}"? Rename it.` : `Remove it; the allowed fields are: ${known.join(', ')}.`,
        });
      }
    }
  }
  return errors;
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length]![b.length]!;
}
