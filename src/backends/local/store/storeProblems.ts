/**
 * What is wrong with a line: `damaged` (fails its checksum, or is not JSON), `incomplete` (a cut-off last line),
 * `invalid` (not a valid event), `unknown` (an event type of a newer version), `refused` (does not fit its ticket),
 * `duplicate` (a ticket number taken on another, merged copy of the log).
 */
export const storeProblemKinds = ['damaged', 'incomplete', 'invalid', 'unknown', 'refused', 'duplicate'] as const;
export type StoreProblemKind = (typeof storeProblemKinds)[number];

/** Something in the log that was not trusted as written; the store keeps working and reports it. */
export interface StoreProblem {
  file: string;
  /** 1-based line of the log. */
  line: number;
  kind: StoreProblemKind;
  /** What is wrong, and what to do. */
  what: string;
  /** `file:line: what`, for warnings. */
  message: string;
}
