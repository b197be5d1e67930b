import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MedigenError } from '../../../../core/index';
import { RemoteNoteGenerator } from '../../../../models/remote/index';

/** What the fake endpoint answers to /v1/chat/completions, per test. */
type Answer = { type: string; body: string };

describe('OpenAI-compatible endpoint that answers garbage, against a real HTTP server on loopback', () => {
  let server: Server;
  let base: string;
  let answer: Answer = { type: 'text/plain', body: '' };
  before(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': answer.type });
        res.end(answer.body);
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  after(() => new Promise<void>((done) => server.close(() => done())));

  const generate = () => new RemoteNoteGenerator({ baseUrl: base, model: 'm' }).generate('Doctor: hello. Patient: hi.', { maxTokens: 8 });
  async function rejects(a: Answer, message: RegExp): Promise<void> {
    answer = a;
    await assert.rejects(generate(), (e: unknown) => {
      assert.ok(e instanceof MedigenError, `a MedigenError, not ${String(e)}`);
      assert.match(e.message, message);
      assert.ok(e.message.includes(base), 'the message names the endpoint');
      assert.ok(e.hint.length > 20, 'the hint says what to do');
      return true;
    });
  }

  it('an HTML page instead of a completion is refused, naming the endpoint and what came', () => rejects({ type: 'text/html', body: '<html><body>Login required</body></html>' }, /did not answer like an OpenAI-compatible server \(text\/html\).*Login required/));
  it('a JSON body without choices is refused', () => rejects({ type: 'application/json', body: '{"hello":"world"}' }, /did not answer like an OpenAI-compatible server/));
  it('an event stream with a line that is not JSON is refused', () => rejects({ type: 'text/event-stream', body: 'data: {"choices":[{"delta":{"content":"A"}}]}\n\ndata: not json at all\n\n' }, /stream line that is not JSON: "not json at all"/));
  it('an event stream with no data lines is refused', () => rejects({ type: 'text/event-stream', body: ': keep-alive\n\nevent: ping\n\n' }, /empty event stream/));
  it('an event stream that finishes without any text is refused (no empty note)', () => rejects({ type: 'text/event-stream', body: 'data: {"choices":[{"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n' }, /finished \(stop\) without sending any text/));
  it('an error object in the stream is reported as the server said it', () => rejects({ type: 'text/event-stream', body: 'data: {"error":{"message":"CUDA out of memory"}}\n\n' }, /reported an error: CUDA out of memory/));
  it('a completion answered whole (no streaming) with an empty message is refused', () => rejects({ type: 'application/json', body: '{"choices":[{"message":{"content":""},"finish_reason":"stop"}]}' }, /without any text/));

  it('a completion answered whole (the server ignored "stream") still gives its note', async () => {
    answer = { type: 'application/json', body: '{"choices":[{"message":{"content":"SUBJECTIVE: cough."},"finish_reason":"stop"}],"usage":{"completion_tokens":5}}' };
    const chunks: string[] = [];
    const r = await new RemoteNoteGenerator({ baseUrl: base, model: 'm' }).generate('Doctor: hello.', { onTextChunk: (c) => chunks.push(c) });
    assert.equal(r.text, 'SUBJECTIVE: cough.');
    assert.equal(r.generatedTokens, 5);
    assert.deepEqual(chunks, ['SUBJECTIVE: cough.']);
  });

  it('a well-formed stream still gives its note', async () => {
    answer = { type: 'text/event-stream', body: 'data: {"choices":[{"delta":{"content":"A "}}]}\n\ndata: {"choices":[{"delta":{"content":"note"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n' };
    const r = await generate();
    assert.equal(r.text, 'A note');
    assert.equal(r.stopReason, 'stop');
  });
});
