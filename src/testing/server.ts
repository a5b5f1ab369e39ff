import type { IncomingMessage, ServerResponse } from 'node:http';

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
  'access-control-allow-headers': '*',
  'access-control-expose-headers': '*',
  'access-control-max-age': '600',
};

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Serves `handle` over real HTTP on 127.0.0.1. Node only (imported lazily by `listen()`). */
export async function startServer(
  handle: (request: Request) => Promise<Response>,
  options: { port?: number; cors?: boolean },
): Promise<{ url: string; close(): Promise<void> }> {
  const { createServer } = await import('node:http');
  const cors = options.cors ?? true;
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    try {
      if (cors && req.method === 'OPTIONS') {
        // "*" does not cover Authorization under the Fetch spec: echo what the browser asks for.
        const requested = req.headers['access-control-request-headers'];
        res
          .writeHead(204, {
            ...CORS_HEADERS,
            'access-control-allow-headers': requested ?? 'authorization, content-type',
          })
          .end();
        return;
      }
      const body = await readBody(req);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string') headers.set(name, value);
        else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
      }
      const request = new Request(`http://127.0.0.1${req.url ?? '/'}`, {
        method: req.method ?? 'GET',
        headers,
        body: body.length > 0 && req.method !== 'GET' && req.method !== 'HEAD' ? new Uint8Array(body) : null,
      });
      const response = await handle(request);
      const out: Record<string, string> = cors ? { ...CORS_HEADERS } : {};
      response.headers.forEach((value, name) => {
        out[name] = value;
      });
      const payload = Buffer.from(await response.arrayBuffer());
      res.writeHead(response.status, out).end(payload);
    } catch {
      // A fault asked for a network error: cut the connection without an answer.
      res.socket?.destroy();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections?.();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
