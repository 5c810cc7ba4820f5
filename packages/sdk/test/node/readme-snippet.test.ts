// The README's SDK snippet is examples/sdk-quickstart/quickstart.ts's own code, word for word: the
// file `pnpm example:sdk` runs from the repository root (and `pnpm examples:smoke` checks).
import { describe, expect, it } from "vitest";
import { page, region } from "./doc-regions";

describe("the README's SDK snippet", () => {
  it("is the quickstart that `pnpm example:sdk` runs", () => {
    expect(page("README.md")).toContain(region("examples/sdk-quickstart/quickstart.ts", "readme"));
    expect(JSON.parse(page("package.json")).scripts["example:sdk"]).toBe("pnpm --filter sdk-quickstart start");
    expect(JSON.parse(page("examples/sdk-quickstart/package.json")).scripts.start).toBe("tsx quickstart.ts");
  });
});
