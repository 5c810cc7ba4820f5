import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  // .d.ts for import, .d.cts for require.
  dts: true,
  // Web APIs only, no Node built-ins: the same files serve Node, Workers, Deno, Bun and browsers.
  platform: "neutral",
  target: "es2022",
  clean: true,
});
