// The benchmarks' webhook receiver: a plain Node http server on a free port that answers 204 to
// every POST and counts the distinct events it got (by `webhook-id`, as a real receiver dedupes).
import { createServer } from "node:http";

export async function startReceiver() {
  const seen = new Set();
  let attempts = 0;
  let first;
  let last;
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      attempts += 1;
      const now = performance.now();
      first ??= now;
      last = now;
      const id = req.headers["webhook-id"];
      if (id) seen.add(id);
      res.writeHead(204).end();
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/hooks`,
    /** Distinct events so far, every POST, and the times of the first and the latest (ms). */
    stats: () => ({ events: seen.size, attempts, first, last }),
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}
