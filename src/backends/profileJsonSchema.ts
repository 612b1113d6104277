import * as z from '../core/zod';
import { backendIds, backendModules } from './registry';

type JsonSchema = Record<string, unknown>;

/** The package.nls key of a profile field's description. */
export function fieldDescriptionKey(backend: string, field: string): string {
  return `config.profiles.${backend}.${field}`;
}

/** Drops what JSON Schema cannot say usefully in settings.json: the draft marker and JavaScript's safe-integer bounds. */
function tidy(schema: JsonSchema): JsonSchema {
  const { $schema: _, ...rest } = schema;
  if (rest.minimum === Number.MIN_SAFE_INTEGER) delete rest.minimum;
  if (rest.maximum === Number.MAX_SAFE_INTEGER) delete rest.maximum;
  return rest;
}

/**
 * The JSON schema of one `dbTickets.profiles` entry, derived from the backend registry: `name` and `backend`, then per
 * backend (if/then on `backend`) its own fields, so settings.json completes and validates every field of every backend.
 * Descriptions are package.nls keys; `descriptions` holds their English text, taken from the profile schemas.
 */
export function profileJsonSchema(): { schema: JsonSchema; descriptions: Record<string, string> } {
  const descriptions: Record<string, string> = {};
  const branches = backendModules.map((module) => {
    const json = z.toJSONSchema(module.profileSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
    const properties: Record<string, JsonSchema> = {};
    for (const [key, field] of Object.entries(json.properties as Record<string, JsonSchema>)) {
      if (key === 'name' || key === 'backend') continue;
      const { description, ...rest } = tidy(field);
      if (typeof description !== 'string') throw new Error(`The ${module.id} profile field "${key}" has no description: document it in the profile schema.`);
      const nlsKey = fieldDescriptionKey(module.id, key);
      descriptions[nlsKey] = description;
      properties[key] = { ...rest, description: `%${nlsKey}%` };
    }
    return {
      if: { properties: { backend: { const: module.id } }, required: ['backend'] },
      then: { properties: { name: true, backend: true, ...properties }, additionalProperties: false },
    };
  });
  const schema: JsonSchema = {
    type: 'object',
    required: ['name', 'backend'],
    properties: {
      name: { type: 'string', description: '%config.profiles.name%' },
      backend: { type: 'string', enum: backendIds, description: '%config.profiles.backend%' },
    },
    allOf: branches,
  };
  return { schema, descriptions };
}
