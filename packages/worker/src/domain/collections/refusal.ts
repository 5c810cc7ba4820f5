/**
 * A rule said no. Refusals are returned, not thrown: the caller turns one into a 4xx for a
 * customer's request, or drops a stale alarm action, and neither is an error.
 */
export interface Refusal<Code extends string = string> {
  ok: false;
  code: Code;
  detail: string;
}

export const refuse = <Code extends string>(code: Code, detail: string): Refusal<Code> => ({ ok: false, code, detail });
