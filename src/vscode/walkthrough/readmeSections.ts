/** The README's section on the `db-tickets` command line, where the command line guide opens (a test checks the README has it). */
export const cliHeading = '## Command line';
