import { TrancheError } from "@tranche/sdk";
import { CommanderError } from "commander";
import { NotLoggedIn } from "./config/credentials";
import { EXIT } from "./exit";
import { buildProgram } from "./program";

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  process.exitCode = exitCodeOf(error);
}

/**
 * Help and version exit 0; bad arguments 2 (commander printed the usage); a command's own refusal
 * (`command.error`) its code; no or a refused key 3; else 1.
 */
function exitCodeOf(error: unknown): number {
  if (error instanceof CommanderError) {
    if (error.code === "commander.error") return error.exitCode;
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof NotLoggedIn) {
    process.stderr.write(`tranche: ${error.message}\n`);
    return EXIT.auth;
  }
  if (error instanceof TrancheError) {
    process.stderr.write(`tranche: ${error.message}${error.requestId ? ` (request ${error.requestId})` : ""}\n`);
    return error.status === 401 ? EXIT.auth : EXIT.failure;
  }
  process.stderr.write(`tranche: ${error instanceof Error ? error.message : String(error)}\n`);
  return EXIT.failure;
}
