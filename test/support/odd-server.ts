import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One odd answer: what a proxy, a cut-off response or a broken gateway sends back. */
export interface OddAnswer {
  status: number;
  contentType: string;
  body: string;
}

/** An HTTP server that gives every request the same odd answer (read from `answer` at each request). */
export async function startOddServer(answer: OddAnswer): Promise<{ origin: string; requests: string[]; answer: OddAnswer; close(): Promise<void> }> {
  const requests: string[] = [];
  const state = { origin: '', requests, answer, close: async () => undefined as void };
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => {
      res.writeHead(state.answer.status, { 'content-type': state.answer.contentType });
      res.end(state.answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}
