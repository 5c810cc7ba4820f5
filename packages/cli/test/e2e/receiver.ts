import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  headers: Record<string, string>;
  body: string;
}

/** A local webhook receiver that answers 204 and keeps what it got; it can go down and come back on its port. */
export async function receiver() {
  const received: Received[] = [];
  let server: Server | undefined;
  const listen = (port: number) =>
    new Promise<number>((resolve) => {
      const s = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
          received.push({
            headers: req.headers as Record<string, string>,
            body: Buffer.concat(chunks).toString("utf8"),
          });
          res.writeHead(204).end();
        });
      });
      server = s.listen(port, "127.0.0.1", () => resolve((s.address() as AddressInfo).port));
    });
  const port = await listen(0);
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    received,
    down: () => new Promise<void>((resolve) => server?.close(() => resolve())),
    up: () => listen(port),
  };
}
