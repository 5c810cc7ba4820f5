import { Command } from "commander";
import { version } from "../package.json";
import { registerCustomers } from "./commands/customers";
import { registerListen } from "./commands/listen";
import { registerLogin } from "./commands/login";
import { registerLogs } from "./commands/logs";
import { registerPurchases } from "./commands/purchases";
import { registerReports } from "./commands/reports";
import { registerReset } from "./commands/reset";
import { registerSeed } from "./commands/seed";
import { registerTrigger } from "./commands/trigger";

/** The `tranche` command and its subcommands; `exitOverride` so that the caller decides the exit code. */
export function buildProgram(): Command {
  const program = new Command("tranche")
    .description("The Tranche command line: forward events to a local receiver, trigger events, inspect your data.")
    .option("--api-key <key>", "a secret key, over TRANCHE_API_KEY and the one `tranche login` stored")
    .option(
      "--base-url <url>",
      "the API's base URL, over TRANCHE_BASE_URL and the login's (default http://localhost:8787)",
    )
    .version(version)
    .option("--json", "print JSON, for scripts")
    .showHelpAfterError()
    .exitOverride();
  for (const register of [
    registerLogin,
    registerListen,
    registerTrigger,
    registerLogs,
    registerPurchases,
    registerCustomers,
    registerReports,
    registerReset,
    registerSeed,
  ]) {
    register(program);
  }
  // Every subcommand (and theirs) exits through the caller too.
  const override = (command: Command) => {
    command.exitOverride().showHelpAfterError();
    command.commands.forEach(override);
  };
  program.commands.forEach(override);
  return program;
}
