import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A real webhook receiver on 127.0.0.1. `answer` decides each response (default 204); it may leave
 * the response hanging. Every request is kept in `requests`.
 */
export async function startReceiver(answer: (request: Received, res: ServerResponse, index: number) => void = (_r, res) => res.writeHead(204).end()) {
  const requests: Received[] = [];
  const open = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const received = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(received);
      open.add(res);
      res.on('close', () => open.delete(res));
      answer(received, res, requests.length - 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    /** The payloads received, parsed. */
    payloads: () => requests.map((request) => JSON.parse(request.body) as { type: string; id: string; occurredDateTime: string; tenant: { id: string }; data: Record<string, unknown> }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
