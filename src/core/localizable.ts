/**
 * Text in English that a front end may translate: a template with `{0}`-style placeholders and their values. Host-free
 * code (backend modules' forms) returns it; the extension translates the template, the CLI fills it in as it is.
 */
export type Localizable = string | { template: string; args: ReadonlyArray<string | number> };

/** A template and its values; `{0}` in the template stands for the first value. */
export function localized(template: string, ...args: Array<string | number>): Localizable {
  return args.length === 0 ? template : { template, args };
}

/** The English text, placeholders filled in. */
export function english(text: Localizable): string {
  if (typeof text === 'string') return text;
  return text.template.replace(/\{(\d+)\}/g, (whole, index: string) => String(text.args[Number(index)] ?? whole));
}
