// Code the docs show is the examples' own code: a region of a source file, found word for word in
// the page that shows it (so the page cannot drift from what `pnpm typecheck` compiles and the
// tests or `pnpm examples:smoke` run).
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const root = join(import.meta.dirname, "../../../..");

/** The text between `// #region name` and `// #endregion name` in a file of the repository. */
export function region(file: string, name: string): string {
  const text = readFileSync(join(root, file), "utf8");
  const found = text.match(new RegExp(`// #region ${name}\\n([\\s\\S]*?)// #endregion ${name}`));
  if (!found?.[1]) throw new Error(`no ${name} region in ${file}`);
  return found[1];
}

/** The text of a page of the repository (README.md, docs/…). */
export const page = (file: string) => readFileSync(join(root, file), "utf8");
