import type { Command } from "commander";
import { contextOf, print } from "../context";
import { TriggerKit } from "../trigger/kit";
import { NOT_TRIGGERABLE, RECIPES, type TriggerType } from "../trigger/recipes";

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
    .addHelpText("after", `\nNot triggerable, and why:\n${notTriggerable}\n`)
    .action(async (type: string, _opts: unknown, command: Command) => {
      if (!(type in RECIPES)) {
        const why = NOT_TRIGGERABLE[type];
        command.error(why ? `${type} cannot be triggered: ${why}` : `unknown event type ${type}`, { exitCode: 2 });
      }
      const ctx = contextOf(command);
      const kit = new TriggerKit(ctx.tranche, ctx.json ? () => {} : (line) => process.stdout.write(`${line}\n`));
      await RECIPES[type as TriggerType](kit);
      print(ctx, { type, steps: kit.steps }, () => `Done: ${type} (${kit.steps.length} API calls).`);
    });
}
