/** Upper-cases the first letter, for messages built from lower-case phrases. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
