import WebSocket from "ws";

/**
 * A request log tail attached for `key`, as `tranche logs tail` attaches one (GET /v1/logs/stream),
 * counting the lines it receives: the bench's purchases with a tail beside those without one.
 */
export async function attachTail(base, key) {
  const ws = new WebSocket(`${base.replace(/^http/, "ws")}/v1/logs/stream`, {
    headers: { Authorization: `Bearer ${key}` },
  });
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
    ws.once("unexpected-response", (_req, res) => reject(new Error(`the log tail answered ${res.statusCode}`)));
  });
  const tail = { lines: 0, close: () => ws.close(1000) };
  ws.on("message", () => {
    tail.lines++;
  });
  return tail;
}
