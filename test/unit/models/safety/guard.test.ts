import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MedigenError, projectRoot } from '../../../../core/index';
import { parseCsv, writeCsv } from '../../../../datasets/index';
import { generateSplit } from '../../../../models/generation/index';
import { decidePhi, describeFindings, findIdentifiersIn, guardedInput, parsePhiAnswer, scrubEncounter } from '../../../../models/safety/index';
import { runCli } from '../../../helpers/cli';

const NAMED = ['[doctor] hi , mister jerry nguyen , how are you today ?', '[patient] okay . my phone number is five five five , two three four , five six seven eight .', '[doctor] and the knee ?', '[patient] it hurts .'].join('\n');
const PLAIN = ['[doctor] how is the cough ?', '[patient] better , thank you .'].join('\n');
const encounter = (id: string, dialogue: string, metadata?: Record<string, string>) => ({ dataset: 'aci', encounterId: id, dialogue, note: 'SUBJECTIVE\nKnee pain.', ...(metadata ? { metadata } : {}) });

describe('models/safety: the identifier guard before dialogues leave the machine', () => {
  it('says what it found, counted by kind, in plain words', () => {
    const f = findIdentifiersIn([NAMED, PLAIN, encounter('E3', '[doctor] hello , sarah .\n[patient] hi .', { patient_firstname: 'sarah' })]);
    assert.deepEqual([f.texts, f.textsWithIdentifiers, f.total, f.byKind.name, f.byKind.phone, f.byKind.email], [3, 2, 3, 2, 1, 0]);
    assert.equal(describeFindings(f), 'The identifier guard found 2 names and 1 phone number in 2 of 3 dialogues.');
    assert.equal(describeFindings(findIdentifiersIn([PLAIN])), 'The identifier guard found no names, phone numbers, emails, record numbers, dates of birth, addresses or SSNs in the dialogue.');
  });

  it('decides: a given choice is kept; nothing found is sent; found and someone to ask asks; found and nobody to ask refuses', () => {
    const found = findIdentifiersIn([NAMED]);
    const none = findIdentifiersIn([PLAIN]);
    const base = { destination: 'llm.hospital.example' };
    assert.deepEqual(decidePhi({ ...base, findings: found, interactive: false, choice: 'scrub' }), { choice: 'scrub' });
    assert.deepEqual(decidePhi({ ...base, findings: found, interactive: true, choice: 'stop' }), { choice: 'stop' });
    assert.deepEqual(decidePhi({ ...base, findings: none, interactive: false }), { choice: 'send' });
    const asked = decidePhi({ ...base, findings: found, interactive: true });
    assert.ok('ask' in asked && /found 1 name and 1 phone number in the dialogue.*sent to llm\.hospital\.example.*Scrub/.test(asked.ask), JSON.stringify(asked));
    assert.throws(() => decidePhi({ ...base, findings: found, interactive: false }), (e: unknown) => e instanceof MedigenError && /Nothing was sent to llm\.hospital\.example/.test(e.message) && /--phi scrub\|send\|stop/.test(e.hint));
  });

  it('reads a typed answer: scrub, send (or "send as is"), stop, in any case; anything else is asked again', () => {
    assert.deepEqual(['Scrub ', 'send', 'send  as is', 'STOP', '', 's', 'yes'].map(parsePhiAnswer), ['scrub', 'send', 'send', 'stop', undefined, undefined, undefined]);
  });

  it('scrubs an encounter\'s dialogue and the name columns of its metadata; "send" leaves the input as it is', () => {
    const e = encounter('E1', '[doctor] good morning , sarah .\n[patient] morning .', { patient_firstname: 'sarah', patient_age: '61' });
    const s = scrubEncounter(e);
    assert.equal(s.dialogue, '[doctor] good morning , [NAME] .\n[patient] morning .');
    assert.deepEqual(s.metadata, { patient_firstname: '[NAME]', patient_age: '61' });
    assert.equal(guardedInput(NAMED, 'send'), NAMED);
    assert.equal(guardedInput(NAMED, 'scrub'), NAMED.replace('jerry nguyen', '[NAME]').replace('five five five , two three four , five six seven eight', '[PHONE]'));
  });
});

describe('models/safety: the guard on the remote generation path, against a real HTTP server on loopback that records what it receives', function () {
  this.timeout(60_000);
  let server: Server;
  let base: string;
  let dir: string;
  let csv: string;
  const received: string[] = [];
  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d));
      req.on('end', () => {
        const messages = (JSON.parse(body) as { messages: { content: string }[] }).messages;
        received.push(messages.map((m) => m.content).join('\n'));
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end('data: {"choices":[{"delta":{"content":"SUBJECTIVE: knee pain."},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n');
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    dir = mkdtempSync(join(tmpdir(), 'medigen-guard-'));
    csv = join(dir, 'visits.csv');
    writeFileSync(csv, writeCsv(['dataset', 'encounter_id', 'dialogue', 'note'], [['aci', 'G1', NAMED, 'x'], ['aci', 'G2', PLAIN, 'y']]));
  });
  after(async () => {
    await new Promise<void>((done) => server.close(() => done()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('generateSplit with scrubIdentifiers sends placeholders, never the name or phone number, and keeps the original dialogues in the CSV', async () => {
    received.length = 0;
    const out = join(dir, 'scrubbed.csv');
    const r = await generateSplit({ baseUrl: base, model: 'm' }, { split: csv, out, scrubIdentifiers: true });
    assert.equal(r.complete, true);
    assert.equal(received.length, 2);
    const sent = received.find((t) => t.includes('[PHONE]'));
    assert.ok(sent, `a request held the scrubbed dialogue: ${received.join('\n---\n')}`);
    assert.ok(sent.includes('hi , mister [NAME] , how are you today ?'), sent);
    assert.ok(!received.some((t) => /jerry|nguyen|five five five/.test(t)), 'no identifier reached the server');
    assert.ok(received.some((t) => t.includes(PLAIN)), 'a dialogue without identifiers is sent unchanged');
    const rows = parseCsv(readFileSync(out)).rows;
    assert.equal(rows[0]!.cells[2], NAMED, 'the predictions CSV keeps the original dialogue');
  });

  it('medigen generate --endpoint --phi scrub sends the scrubbed text; --phi send sends it as is; --phi stop sends nothing and fails', async () => {
    received.length = 0;
    let r = await runCli(['generate', '--split', csv, '--endpoint', base, '--model', 'm', '--out', join(dir, 'a.csv'), '--phi', 'scrub']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /found 1 name and 1 phone number in 1 of 2 dialogues/);
    assert.ok(received.some((t) => t.includes('mister [NAME]')) && !received.some((t) => t.includes('jerry')), received.join('\n---\n'));
    received.length = 0;
    r = await runCli(['generate', '--split', csv, '--endpoint', base, '--model', 'm', '--out', join(dir, 'b.csv'), '--phi', 'send']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(received.some((t) => t.includes('jerry nguyen')), 'send as is sends the dialogue unchanged');
    received.length = 0;
    r = await runCli(['generate', '--split', csv, '--endpoint', base, '--model', 'm', '--out', join(dir, 'c.csv'), '--phi', 'stop']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Stopped: no dialogue was sent/);
    assert.equal(received.length, 0);
  });

  it('medigen generate to an endpoint on another machine, not in a terminal and without --phi, refuses before sending anything', async () => {
    const r = await runCli(['generate', '--split', csv, '--endpoint', 'http://llm.hospital.invalid/v1', '--model', 'm', '--out', join(dir, 'd.csv')]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /found 1 name and 1 phone number.*Nothing was sent to llm\.hospital\.invalid/);
    assert.match(r.stderr, /--phi scrub\|send\|stop/);
    assert.match(r.stderr, /dialogue text will be sent to llm\.hospital\.invalid|Dialogue text will be sent/);
    const bad = await runCli(['generate', '--split', csv, '--endpoint', base, '--model', 'm', '--out', join(dir, 'e.csv'), '--phi', 'maybe']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--phi maybe is not a choice/);
  });

  it('in a terminal, medigen generate asks what to do before sending: "maybe" is asked again, "stop" sends nothing (a real pseudo-terminal, util-linux script)', async function () {
    if (process.platform !== 'linux' || spawnSync('script', ['--version']).status !== 0) this.skip(); // needs util-linux's script for a pseudo-terminal
    const cmd = `'${process.execPath}' --import tsx cli/index.ts generate --split '${csv}' --endpoint http://llm.hospital.invalid/v1 --model m --out '${join(dir, 'f.csv')}'`;
    const child = spawn('script', ['-qec', cmd, '/dev/null'], { cwd: projectRoot(), stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let asked = 0;
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      const n = output.split('Type scrub, send or stop:').length - 1;
      if (n > asked) child.stdin.write(++asked === 1 ? 'maybe\n' : 'stop\n');
    });
    const code = await new Promise<number | null>((done) => child.on('close', done));
    assert.equal(asked, 2, output);
    assert.match(output, /found 1 name and 1 phone number in 1 of 2 dialogues\. They are about to be sent to llm\.hospital\.invalid/);
    assert.match(output, /Please answer scrub, send or stop/);
    assert.match(output, /Stopped: no dialogue was sent/);
    assert.equal(code, 1);
  });
});
