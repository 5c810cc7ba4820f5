/** The CLI's exit codes (docs/cli.md). */
export const EXIT = {
  ok: 0,
  /** The API refused, the network failed, a file could not be written. */
  failure: 1,
  /** Bad arguments: usage is printed. */
  usage: 2,
  /** No key, or the API did not accept it. */
  auth: 3,
} as const;
