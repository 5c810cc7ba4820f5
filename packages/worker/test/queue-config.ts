// Miniflare's queue consumers for the projects that run the Worker (this package's and the SDK's).
// The projection queue delivers at once here, not after wrangler.toml's 1 s batch window: the tests
// wait for it before every read of D1 (test/settle.ts). The webhook queue keeps wrangler.toml's.
export const queueConsumers = {
  "tranche-projection": {
    maxBatchSize: 100,
    maxBatchTimeout: 0,
    maxRetries: 10,
    deadLetterQueue: "tranche-projection-dlq",
  },
  "tranche-projection-dlq": { maxBatchSize: 100, maxBatchTimeout: 30, maxRetries: 100 },
  "tranche-webhook-events": {
    maxBatchSize: 100,
    maxBatchTimeout: 1,
    maxRetries: 10,
    retryDelay: 5,
    deadLetterQueue: "tranche-webhook-events-dlq",
  },
  "tranche-webhook-events-dlq": { maxBatchSize: 100, maxBatchTimeout: 30, maxRetries: 100 },
};
