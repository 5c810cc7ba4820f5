import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrate, startWrangler } from "../../../../scripts/bench-wrangler.mjs";

export const ADMIN_TOKEN = "e2e-admin-token";

/** `wrangler dev` on a state folder of its own, as the benchmarks start it; `stop` removes the folder. */
export async function startWorker() {
  const persist = mkdtempSync(join(tmpdir(), "tranche-cli-e2e-"));
  await migrate(persist);
  const worker = await startWrangler(persist, { ADMIN_TOKEN, ANALYTICS_BACKEND: "local" });
  return {
    base: worker.base as string,
    stop: async () => {
      await worker.stop();
      rmSync(persist, { recursive: true, force: true });
    },
  };
}

/** A new merchant's test key. */
export async function merchantKey(base: string): Promise<string> {
  const res = await fetch(`${base}/v1/merchants`, {
    method: "POST",
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" },
    body: JSON.stringify({ name: "CLI e2e" }),
  });
  if (res.status !== 201) throw new Error(`creating a merchant: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { secret_key: string }).secret_key;
}
