import type { ReportParams } from "@tranche/sdk";
import { type Command, Option } from "commander";
import { contextOf, print } from "../context";

export function registerReports(program: Command): void {
  const reports = program.command("reports").description("money reports from the ledger");
  reports
    .command("settlements")
    .description(
      "The settlement report for [--from, --to): JSON, or CSV with --format csv (`> file`); progress on stderr " +
        "while a download runs.",
    )
    .requiredOption("--from <date>", "start, inclusive: YYYY-MM-DD or an RFC 3339 timestamp")
    .requiredOption("--to <date>", "end, exclusive")
    .option("--timezone <zone>", "IANA time zone of the periods, e.g. Europe/Stockholm")
    .option("--currency <code>", "only this currency")
    .addOption(new Option("--granularity <g>", "one row per").choices(["day", "week", "month", "total"]))
    .addOption(new Option("--format <format>", "output").choices(["json", "csv"]).default("json"))
    .action(async (opts: ReportParams & { format: "json" | "csv" }, command: Command) => {
      const ctx = contextOf(command);
      const { format, ...params } = opts;
      if (format === "csv") await copyWithProgress(await ctx.tranche.reports.stream("settlements", params));
      else print({ json: true }, await ctx.tranche.reports.settlements(params), () => "");
    });
}

/** Copies the download to stdout, counting bytes on stderr when stderr is a terminal. */
async function copyWithProgress(body: ReadableStream<Uint8Array>): Promise<void> {
  let bytes = 0;
  for await (const chunk of body) {
    bytes += chunk.byteLength;
    if (!process.stdout.write(chunk)) await new Promise((resolve) => process.stdout.once("drain", resolve));
    if (process.stderr.isTTY) process.stderr.write(`\r${(bytes / 1024).toFixed(1)} KB`);
  }
  if (process.stderr.isTTY) process.stderr.write("\n");
}
