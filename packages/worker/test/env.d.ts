declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    /** The contract fuzz's seed and requests per operation (test/contract), from the environment. */
    FUZZ_SEED: string;
    FUZZ_RUNS: string;
  }
}
