// Contract fuzzing, generated from the served /openapi.json: every operation gets valid requests and
// mutations of them (requests.ts) through the real Worker, and every answer must be one the document
// gives for that operation: a documented status and media type, a body its schema accepts (problem
// codes included: each status's `code` is an enum), problem+json for every 4xx, never a 5xx. Invalid
// requests must be refused and write nothing (world.ts). A new operation is covered without a new test.
//
// Re-run a failure with its seed: FUZZ_SEED=<seed> pnpm --filter @tranche/worker exec vitest run test/contract
// (FUZZ_RUNS=<n> changes the requests per operation).
import { env, SELF } from "cloudflare:test";
import type { Problem } from "@tranche/shared";
import fc from "fast-check";
import { beforeAll, describe, it } from "vitest";
import { runs } from "../../../shared/test/runs";
import { ADMIN_TOKEN } from "../helpers";
import { Contract, type Operation } from "./document";
import { statedInProse } from "./prose-rules";
import { type Draft, drafts, type Kind, kindOf, toRequest } from "./requests";
import { SchemaArbitraries } from "./schema-arbitrary";
import { changed, makeWorld, settled, snapshot, type World } from "./world";

const SEED = Number(env.FUZZ_SEED) || Date.now() % 2 ** 31;
const RUNS = Number(env.FUZZ_RUNS) || runs(12, 200);
const RERUN = `FUZZ_SEED=${SEED} pnpm --filter @tranche/worker exec vitest run test/contract`;

const served = await (await SELF.fetch("http://tranche.test/openapi.json")).json();
const contract = new Contract(served as Record<string, unknown>);
// Deleting the endpoint first would leave the other endpoint operations nothing but 404s.
const operations = [...contract.operations].sort(
  (a, b) => Number(a.method === "DELETE") - Number(b.method === "DELETE"),
);

let busy: World;
let quiet: World;
let arbs: SchemaArbitraries;

beforeAll(async () => {
  busy = await makeWorld();
  quiet = await makeWorld();
  await settled(quiet);
  // Ids in bodies are the busy world's (valid requests go there); another merchant's come by path (requests.ts).
  arbs = new SchemaArbitraries(contract.doc, Object.values(busy.ids).flat(), contract.accepts);
}, 60_000);

describe("contract fuzz", () => {
  const cases = operations.map((op) => [`${op.method} ${op.path}`, op] as const);
  it.for(cases)("%s answers as documented", { timeout: 120_000 }, async ([, op], { annotate }) => {
    const kinds: Record<Kind, number> = { valid: 0, invalid: 0, odd: 0 };
    /** Answers by status, and by problem code: "201", "400 invalid_state". */
    const answers = new Map<string, number>();
    // Where the Worker refused requests the document accepts, by a rule it states in prose (prose-rules.ts).
    const unstated = new Set<string>();
    try {
      await fc.assert(
        fc.asyncProperty(drafts(op, arbs), async (draft) => {
          const kind = kindOf(op, contract, draft);
          kinds[kind]++;
          const { answer, refused } = await exercise(op, draft, kind);
          answers.set(answer, (answers.get(answer) ?? 0) + 1);
          // By top-level field: a record's keys (credit_limits.<currency>) would list every key tried.
          if (kind === "valid") for (const path of refused) unstated.add(path.split(".")[0] ?? path);
        }),
        // No shrinking: the Worker's state moves on with every request, so a shrunk case is not the same case.
        // Each operation its own stream (same seed, same values: an Idempotency-Key repeated across operations is a 422).
        { seed: SEED + operations.indexOf(op), numRuns: RUNS, endOnFailure: true },
      );
    } finally {
      // Printed after the run by the reporter in vitest.config.ts (passing tests' logs are silenced).
      const tally = [...answers].sort(([a], [b]) => a.localeCompare(b)).map(([a, n]) => `${a}×${n}`);
      const refusals = unstated.size ? `; valid requests refused on ${[...unstated].sort().join(", ")}` : "";
      await annotate(
        `${op.id}: ${kinds.valid} valid, ${kinds.invalid} invalid, ${kinds.odd} odd; answers ${tally.join(", ")}${refusals} (seed ${SEED})`,
        "contract fuzz",
      );
    }
  });
});

/**
 * Sends the draft to its world and checks the answer; invalid requests also must leave no trace.
 * Returns the status (with the problem's code), and the fields a validation_error named.
 */
async function exercise(op: Operation, draft: Draft, kind: Kind): Promise<{ answer: string; refused: string[] }> {
  const [world, other] = kind === "invalid" ? [quiet, busy] : [busy, quiet];
  const request = toRequest(op, draft, world, other, ADMIN_TOKEN);
  const described = `${draft.mutation} (${kind}) ${request.method} ${request.url}\n${[...request.headers].map(([k, v]) => `${k}: ${v}`).join("\n")}\n${body(draft)}`;
  const before = kind === "invalid" ? await snapshot(world) : {};
  const res = await SELF.fetch(request);
  const text = await res.text();
  const wrong = answerProblem(op, res, text, kind);
  if (wrong)
    throw new Error(`${wrong}\nrequest: ${described}\nanswer: ${res.status} ${text.slice(0, 500)}\nre-run: ${RERUN}`);
  // An operator's route reaches any merchant, the quiet world's too (a foreign id is not a 404 there), and a
  // shard move keeps working after its answer: let it finish before the quiet world is compared again.
  if (kind === "valid" && op.id === "moveMerchantShard") await settled(other);
  const moved = kind === "invalid" ? changed(before, await snapshot(world)) : [];
  if (moved.length) {
    throw new Error(
      `an invalid request changed ${moved.join(", ")}\nrequest: ${described}\nanswer: ${res.status} ${text.slice(0, 500)}\nre-run: ${RERUN}`,
    );
  }
  const problem = res.status >= 400 ? (JSON.parse(text) as Problem) : undefined;
  const refusals = problem?.code === "validation_error" ? (problem.errors ?? []) : [];
  // A request the document accepts may be refused only by a rule the document states in words (prose-rules.ts).
  const unstated = kind === "valid" ? refusals.filter((e) => !statedInProse(op.id, e)) : [];
  if (unstated.length) {
    throw new Error(
      `${op.id} refused a request its document accepts: ${unstated.map((e) => `${e.path}: ${e.message}`).join("; ")}\nrequest: ${described}\nre-run: ${RERUN}`,
    );
  }
  return {
    answer: problem ? `${res.status} ${problem.code}` : String(res.status),
    refused: refusals.map((e) => e.path),
  };
}

/** What is wrong with the answer, by the document, or undefined if nothing. */
function answerProblem(op: Operation, res: Response, text: string, kind: Kind): string | undefined {
  if (res.status >= 500) return `${op.id} answered ${res.status}`;
  if (kind === "invalid" && res.status < 400) return `${op.id} accepted a request its schema refuses`;
  const documented = op.responses[String(res.status)];
  if (!documented)
    return `${op.id} answered ${res.status}, which it does not document (${Object.keys(op.responses).join(", ")})`;
  const mediaType = res.headers.get("Content-Type")?.split(";")[0]?.trim() ?? "";
  if (res.status >= 400 && mediaType !== "application/problem+json")
    return `${op.id} answered a ${res.status} as ${mediaType}, not problem+json`;
  if (!documented.content) return text ? `${op.id} answered a body where its ${res.status} documents none` : undefined;
  const media = documented.content[mediaType];
  if (!media) return `${op.id} answered ${res.status} as ${mediaType}, which it does not document`;
  if (!mediaType.endsWith("json") || !media.schema) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return `${op.id} answered ${mediaType} that is not JSON`;
  }
  const errors = contract.errors(media.schema, json);
  return errors ? `${op.id}'s ${res.status} does not match its documented schema: ${errors}` : undefined;
}

function body(draft: Draft): string {
  if (!draft.body) return "";
  const text = "raw" in draft.body ? draft.body.raw : JSON.stringify(draft.body.json);
  return text.length > 600 ? `${text.slice(0, 600)}…` : text;
}
