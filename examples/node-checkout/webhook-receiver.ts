// A webhook receiver in plain Node (docs/webhooks.md shows this region):
//   TRANCHE_WEBHOOK_SECRET=whsec_… PORT=4242 pnpm --filter node-checkout webhooks
// It answers POST /webhooks/tranche and prints one line per event it handles.
import { createServer } from "node:http";
import { Tranche } from "@tranche/sdk";

const tranche = new Tranche(process.env.TRANCHE_API_KEY ?? "sk_test_unused_by_verify");
const secret = process.env.TRANCHE_WEBHOOK_SECRET ?? "";
/** The webhook-ids already handled. In production, your database: it must outlive the process. */
const seen = new Set<string>();

// #region receiver
const server = createServer(async (req, res) => {
  if (req.method !== "POST" || req.url !== "/webhooks/tranche") return void res.writeHead(404).end();
  // The bytes as they arrived: a body parsed and serialised again would not match its signature.
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  let event: Awaited<ReturnType<typeof tranche.webhooks.verify>>;
  try {
    event = await tranche.webhooks.verify(Buffer.concat(chunks), req.headers, secret);
  } catch {
    return void res.writeHead(400).end("bad signature");
  }
  // At least once: a repeat carries the same webhook-id. Skip what was handled.
  const id = String(req.headers["webhook-id"]);
  if (!seen.has(id)) {
    console.log(`handled ${event.type} ${id}`); // your handling here
    seen.add(id);
  }
  res.writeHead(204).end();
});
// #endregion receiver

server.listen(Number(process.env.PORT ?? 4242), () => console.log(`listening on ${process.env.PORT ?? 4242}`));
