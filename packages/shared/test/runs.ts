import { inject } from "vitest";

declare module "vitest" {
  interface ProvidedContext {
    /** `pnpm test:soak` (TEST_SOAK=1): the property and fuzz suites at their long sizes. */
    soak: boolean;
  }
}

/**
 * How many cases a property or fuzz test tries: `quick` in `pnpm test`, which runs on every change,
 * and `soak` in `pnpm test:soak`. Both run the same assertions; only the number of cases differs.
 */
export const runs = (quick: number, soak: number) => (inject("soak") ? soak : quick);
