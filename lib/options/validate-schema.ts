import { getMetadataStorage, validateSync } from 'class-validator';

/** A class whose properties carry class-validator rules, one per option. */
export type OptionsSchema = new () => object;

/**
 * Checks `given` against one schema: its defined values, and a line per broken rule or unknown
 * key (`prefix` names the group, e.g. `tts.`; `owner` what takes the options).
 */
export function validateSchema(
  schema: OptionsSchema,
  given: object,
  prefix: string,
  owner = 'HamsaVoiceModule',
): { values: Record<string, unknown>; problems: string[] } {
  // Only known options are copied onto the schema: an unknown key such as `constructor` or
  // `hasOwnProperty` would otherwise shadow what class-validator reads from the object.
  const instance = new schema() as Record<string, unknown>;
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(given)) {
    if (!optionNames(schema).has(key)) {
      problems.push(
        `${prefix}${key} is not an option of ${owner}: remove it or check its spelling`,
      );
    } else if (value !== undefined) {
      instance[key] = value;
      values[key] = value;
    }
  }
  problems.push(
    ...validateSync(instance).flatMap((error) => Object.values(error.constraints ?? {})),
  );
  return { values, problems };
}

/** Whether `value` is an object with a function under each of `methods`. */
export function hasMethods(value: unknown, methods: readonly string[]): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    methods.every((method) => typeof (value as Record<string, unknown>)[method] === 'function')
  );
}

/** The options each schema has rules for (every option has at least one). */
const names = new Map<OptionsSchema, Set<string>>();
function optionNames(schema: OptionsSchema): Set<string> {
  let known = names.get(schema);
  if (!known) {
    known = new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(schema, '', true, false)
        .map((metadata) => metadata.propertyName),
    );
    names.set(schema, known);
  }
  return known;
}
