import { EVENT_TYPES } from "@tranche/shared";
import { CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../../src/program";
import { NOT_TRIGGERABLE, RECIPES } from "../../src/trigger/recipes";

/** Parses `args` without running an action: every action is replaced by one that records its arguments. */
function parse(args: string[]) {
  const program = buildProgram();
  let ran: { command: string; args: unknown[] } | undefined;
  const silence = (c: typeof program) => {
    c.configureOutput({ writeOut: () => {}, writeErr: () => {} });
    c.action((...a: unknown[]) => {
      ran = { command: c.name(), args: a.slice(0, -1) };
    });
    c.commands.forEach(silence);
  };
  program.commands.forEach(silence);
  program.configureOutput({ writeOut: () => {}, writeErr: () => {} });
  try {
    program.parse(["node", "tranche", ...args]);
    return { ran };
  } catch (error) {
    if (error instanceof CommanderError) return { error };
    throw error;
  }
}

describe("arguments", () => {
  it("listen needs --forward-to, and takes --events", () => {
    expect(parse(["listen"]).error?.code).toBe("commander.missingMandatoryOptionValue");
    expect(parse(["listen", "--forward-to", "http://localhost:3000/w", "--events", "a,b"]).ran).toEqual({
      command: "listen",
      args: [{ forwardTo: "http://localhost:3000/w", events: "a,b" }],
    });
  });

  it("refuses an unknown command or option, and a limit out of range", () => {
    expect(parse(["bogus"]).error?.code).toBe("commander.unknownCommand");
    expect(parse(["purchases", "list", "--nope"]).error?.code).toBe("commander.unknownOption");
    expect(parse(["purchases", "list", "--limit", "101"]).error?.code).toBe("commander.invalidArgument");
    expect(parse(["purchases", "list", "--limit", "2"]).ran?.args).toEqual([{ limit: 2 }]);
  });

  it("reports settlements needs --from and --to, and knows its formats", () => {
    expect(parse(["reports", "settlements", "--from", "2026-01-01"]).error?.code).toBe(
      "commander.missingMandatoryOptionValue",
    );
    expect(parse(["reports", "settlements", "--from", "a", "--to", "b", "--format", "xml"]).error?.code).toBe(
      "commander.invalidArgument",
    );
  });

  it("help exits through the caller with code 0", () => {
    expect(parse(["--help"]).error?.exitCode).toBe(0);
    expect(parse(["listen", "--help"]).error?.exitCode).toBe(0);
  });

  it("trigger knows every event type: a recipe, or a reason it has none", () => {
    const known = [...Object.keys(RECIPES), ...Object.keys(NOT_TRIGGERABLE)].sort();
    expect(known).toEqual(Object.keys(EVENT_TYPES).sort());
  });
});

describe("tranche seed's arguments", () => {
  it("defaults to a small book, and takes the bigger one", () => {
    expect(parse(["seed"]).ran?.args).toEqual([{ customers: 50, months: 6, seed: 1, concurrency: 4 }]);
    expect(parse(["seed", "--customers", "500", "--months", "12", "--seed", "9"]).ran?.args[0]).toMatchObject({
      customers: 500,
      months: 12,
      seed: 9,
    });
  });

  it("refuses what is not a whole number in range (index.ts exits 2 on these, with the usage)", () => {
    for (const bad of [
      ["--customers", "abc"],
      ["--customers", "0"],
      ["--customers", "1.5"],
      ["--months", "37"],
      ["--seed", "-1"],
      ["--concurrency", "0"],
    ]) {
      expect(parse(["seed", ...bad]).error?.code, bad.join(" ")).toBe("commander.invalidArgument");
    }
  });
});
