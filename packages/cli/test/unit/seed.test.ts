import { CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import { personas } from "../../src/commands/seed/book";
import { buildProgram } from "../../src/program";

/** Parses `tranche seed …`, recording the options instead of seeding. */
function parseSeed(args: string[]) {
  const program = buildProgram().configureOutput({ writeOut: () => {}, writeErr: () => {} });
  const seed = program.commands.find((c) => c.name() === "seed");
  let options: unknown;
  seed?.configureOutput({ writeOut: () => {}, writeErr: () => {} }).action((opts: unknown) => {
    options = opts;
  });
  try {
    program.parse(["node", "tranche", "seed", ...args]);
    return { options };
  } catch (error) {
    if (error instanceof CommanderError) return { error };
    throw error;
  }
}

describe("tranche seed's arguments", () => {
  it("defaults to a small book, and takes the bigger one", () => {
    expect(parseSeed([]).options).toEqual({ customers: 50, months: 6, seed: 1, concurrency: 4 });
    expect(parseSeed(["--customers", "500", "--months", "12", "--seed", "9"]).options).toMatchObject({
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
      expect(parseSeed(bad).error?.code, bad.join(" ")).toBe("commander.invalidArgument");
    }
  });
});

describe("the book's customers", () => {
  it("are the same for the same seed, and not for another", () => {
    expect(personas(40, 12, 5)).toEqual(personas(40, 12, 5));
    expect(personas(40, 12, 6)).not.toEqual(personas(40, 12, 5));
  });

  it("mix plans and currencies, and put failing cards on plans that charge nothing at checkout", () => {
    const book = personas(500, 12, 1);
    expect(new Set(book.map((p) => p.plan.type))).toEqual(
      new Set(["pay_in_full", "pay_later", "pay_in_n", "financing"]),
    );
    expect(new Set(book.map((p) => p.currency))).toEqual(new Set(["EUR", "USD", "SEK"]));
    for (const p of book.filter((p) => p.token.startsWith("tok_succeed_after") || p.writeOff)) {
      expect(["pay_later", "financing"]).toContain(p.plan.type);
    }
    for (const p of book.filter((p) => p.refund)) expect(p.refund?.month).toBeLessThanOrEqual(12);
  });
});
