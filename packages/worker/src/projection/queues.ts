/**
 * Whether a queue batch is the projection's: `tranche-projection`, its environments' copies
 * (`tranche-staging-projection`, …) and their dead-letter lanes (wrangler.toml). Every other
 * queue is the webhook events'.
 */
export const isProjectionQueue = (name: string) => /-projection(-dlq)?$/.test(name);
