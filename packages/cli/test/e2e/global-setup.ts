import type { TestProject } from "vitest/node";
import { startWorker } from "./worker";

declare module "vitest" {
  export interface ProvidedContext {
    base: string;
  }
}

/** One `wrangler dev` for every end-to-end file: starting it is most of the run. */
export default async function setup(project: TestProject) {
  const worker = await startWorker();
  project.provide("base", worker.base);
  return () => worker.stop();
}
