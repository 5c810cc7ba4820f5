import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  // .d.ts for import, .d.cts for require. @tranche/shared is a devDependency, bundled into the code,
  // so its types must be inlined too: the path mapping resolves it outside node_modules, which the
  // .d.ts bundler would otherwise leave as an import that consumers cannot resolve.
  dts: { compilerOptions: { paths: { "@tranche/shared/*": ["../shared/src/*.ts"] } } },
  // Web APIs only, no Node built-ins: the same files serve Node, Workers, Deno, Bun and browsers.
  platform: "neutral",
  target: "es2022",
  clean: true,
});
