/**
 * A loopback HTTP server that answers like the Hugging Face hub for the two requests
 * node-llama-cpp makes for an `hf:<user>/<repo>:<quant>` URI: the manifest
 * (`/v2/<user>/<repo>/manifests/<quant>`) and the file (`/<user>/<repo>/resolve/main/<file>`, with
 * HTTP Range so downloads can resume). It serves one real file, slowly when asked, and can cut the
 * connection part-way through to simulate a network failure. Every request is logged.
 */
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';

export interface FakeHubRequest {
  method: string;
  path: string;
  range?: string;
}

export interface FakeHub {
  /** Base URL to use as the Hugging Face endpoint (ends with /). */
  url: string;
  /** The URI that resolves to the served file. */
  uri: string;
  requests: FakeHubRequest[];
  /** Bytes of the file sent so far in answer to Range requests (the downloader's real transfers; its first plain GET only reads the size). */
  sentBytes(): number;
  /** Cut the connection after sending this many bytes of the next file response that asks for a Range (once). */
  dropNextAfter(bytes: number): void;
  /** Called with the total bytes sent each time a chunk goes out. */
  onChunk?: (sentInThisResponse: number) => void;
  close(): Promise<void>;
}

export async function startFakeHub(file: string, options: { user?: string; repo?: string; quant?: string; fileName?: string; chunkBytes?: number; delayMs?: number } = {}): Promise<FakeHub> {
  const body = readFileSync(file);
  const user = options.user ?? 'medigen-test';
  const repo = options.repo ?? 'Tiny-Model-GGUF';
  const quant = options.quant ?? 'Q4_K_M';
  const fileName = options.fileName ?? `Tiny-Model-${quant}.gguf`;
  const chunk = options.chunkBytes ?? 32 * 1024;
  const delay = options.delayMs ?? 0;
  const requests: FakeHubRequest[] = [];
  let sent = 0;
  let dropAfter: number | undefined;
  const hub: FakeHub = {
    url: '',
    uri: `hf:${user}/${repo}:${quant}`,
    requests,
    sentBytes: () => sent,
    dropNextAfter: (n) => (dropAfter = n),
    close: () =>
      new Promise((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push({ method: req.method ?? 'GET', path, ...(req.headers.range ? { range: req.headers.range } : {}) });
    if (path === `/v2/${user}/${repo}/manifests/${quant}`) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ggufFile: { rfilename: fileName, size: body.length } }));
      return;
    }
    if (path !== `/${user}/${repo}/resolve/main/${fileName}`) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Entry not found');
      return;
    }
    let start = 0;
    let end = body.length - 1;
    const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (m) {
      start = Number(m[1]);
      if (m[2]) end = Math.min(end, Number(m[2]));
      if (start > end) {
        res.writeHead(416, { 'content-range': `bytes */${body.length}` });
        res.end();
        return;
      }
    }
    const headers = { 'content-type': 'application/octet-stream', 'accept-ranges': 'bytes', 'content-length': String(end - start + 1), etag: '"tiny-model-1"' };
    if (m) res.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${end}/${body.length}` });
    else res.writeHead(200, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const drop = m ? dropAfter : undefined;
    if (m) dropAfter = undefined;
    let pos = start;
    let thisResponse = 0;
    const next = () => {
      if (res.destroyed) return;
      if (pos > end) {
        res.end();
        return;
      }
      if (drop !== undefined && thisResponse >= drop) {
        res.destroy();
        return;
      }
      const n = Math.min(chunk, end - pos + 1);
      res.write(body.subarray(pos, pos + n));
      pos += n;
      if (m) sent += n;
      thisResponse += n;
      hub.onChunk?.(thisResponse);
      setTimeout(next, delay);
    };
    next();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  hub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return hub;
}
