import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm"],
  platform: "node",
  target: "node20",
  // The SDK and the webhook signer the Worker uses, from source (tsconfig `paths`): bundled, so the
  // published CLI needs only commander and ws.
  noExternal: ["@tranche/sdk", "@tranche/shared"],
  banner: { js: "#!/usr/bin/env node" },
  clean: true,
});
