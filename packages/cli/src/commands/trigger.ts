import { Tranche } from "@tranche/sdk";
import type { Command } from "commander";
import { contextOf, print } from "../context";
import { TriggerKit } from "../trigger/kit";
import { NEEDS_ADMIN, NOT_TRIGGERABLE, RECIPES, type TriggerType } from "../trigger/recipes";

export function registerTrigger(program: Command): void {
  const types = Object.keys(RECIPES);
  const notTriggerable = Object.entries(NOT_TRIGGERABLE)
    .map(([type, why]) => `  ${type}: ${why}`)
    .join("\n");
  program
    .command("trigger")
    .summary("produce an event in test mode")
    .description(
      "Produce an event in test mode with the fewest API calls (test cards, the customer's test clock) and say " +
        "what was done. `tranche listen` in another terminal forwards what it produces.",
    )
    .argument("<event type>", `one of: ${types.join(", ")}`)
    .option(
      "--admin-token <token>",
      `the deployment's ADMIN_TOKEN (or TRANCHE_ADMIN_TOKEN), for ${NEEDS_ADMIN.join(", ")}`,
    )
    .addHelpText("after", `\nNot triggerable, and why:\n${notTriggerable}\n`)
    .action(async (type: string, opts: { adminToken?: string }, command: Command) => {
      if (!(type in RECIPES)) {
        const why = NOT_TRIGGERABLE[type];
        command.error(why ? `${type} cannot be triggered: ${why}` : `unknown event type ${type}`, { exitCode: 2 });
      }
      const adminToken = opts.adminToken ?? process.env.TRANCHE_ADMIN_TOKEN;
      if (NEEDS_ADMIN.includes(type) && !adminToken) {
        command.error(`${type} is an operator's action: pass --admin-token (the deployment's ADMIN_TOKEN)`, {
          exitCode: 2,
        });
      }
      const ctx = contextOf(command);
      const admin = adminToken ? new Tranche(adminToken, { baseUrl: ctx.baseUrl }) : undefined;
      const say = ctx.json ? () => {} : (line: string) => process.stdout.write(`${line}\n`);
      const kit = new TriggerKit(ctx.tranche, say, admin);
      await RECIPES[type as TriggerType](kit);
      print(ctx, { type, steps: kit.steps }, () => `Done: ${type} (${kit.steps.length} API calls).`);
    });
}
