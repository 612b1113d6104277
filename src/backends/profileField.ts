import * as z from '../core/zod';

/** An optional profile field with its documentation, which settings.json shows on hover and completion. */
export function optionalField<T extends z.ZodMiniType>(description: string, schema: T) {
  return z.optional(schema).check(z.describe(description));
}

/** A text field that must not be blank; every failure gets the same message naming the fix. */
export function nonBlank(message: string) {
  return z.string({ error: message }).check(z.trim(), z.minLength(1, { error: message }));
}
