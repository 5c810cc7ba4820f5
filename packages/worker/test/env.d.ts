declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    /** The contract fuzz's seed and requests per operation (test/contract), from the environment. */
    FUZZ_SEED: string;
    FUZZ_RUNS: string;
  }
}

// Vite's `?raw` import: a file's text, for tests that hold code and docs to each other.
declare module "*.md?raw" {
  const text: string;
  export default text;
}
