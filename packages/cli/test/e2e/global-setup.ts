import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startWorker } from "./worker";

declare module "vitest" {
  export interface ProvidedContext {
    base: string;
    /** Where the tests' users keep their config directories; removed at the end. */
    home: string;
  }
}

/** One `wrangler dev` for every end-to-end file: starting it is most of the run. */
export default async function setup(project: TestProject) {
  const home = mkdtempSync(join(tmpdir(), "tranche-cli-home-"));
  const worker = await startWorker();
  project.provide("base", worker.base);
  project.provide("home", home);
  return async () => {
    await worker.stop();
    rmSync(home, { recursive: true, force: true });
  };
}
