import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MedigenError } from '../../../../core/index';
import { assessFit, catalogFile, downloadCatalogModel, findCatalogModel, isDownloaded, listModels, loadCatalog, type CatalogModel } from '../../../../models/llm/index';
import { makeTinyLlama } from '../../../../models/tiny/index';
import { startFakeHub, type FakeHub } from '../../../helpers/fakeHub';
import { runCli } from '../../../helpers/cli';

const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

describe('recommended models (models/llm/catalog.json)', () => {
  it('the shipped list: a few small instruction-tuned Q4 models, each with size, memory, licence and an hf: URI', () => {
    const models = loadCatalog();
    assert.equal(catalogFile(), join(catalogFile(), '..', 'catalog.json'));
    assert.ok(models.length >= 3 && models.length <= 6, `${models.length} models`);
    for (const m of models) {
      assert.match(m.uri, /^hf:[^/]+\/[^/]+-GGUF:Q4_K_M$/, m.name);
      assert.ok(m.downloadGB > 0.3 && m.downloadGB < 2.5, `${m.name}: ${m.downloadGB} GB`);
      assert.ok(m.memoryGB > m.downloadGB && m.memoryGB < 4, `${m.name}: needs ${m.memoryGB} GB`);
      assert.ok(m.license && m.note && /instruct/i.test(m.title), m.name);
    }
    assert.equal(findCatalogModel(models, 'LLAMA-3.2-1B-INSTRUCT')?.uri, 'hf:bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M');
  });

  it('an instructor\'s own list replaces it (MEDIGEN_MODEL_CATALOG), and a broken one is named with what to fix', () => {
    const dir = mkdtempSync(join(tmpdir(), 'medigen-catalog-'));
    try {
      const f = join(dir, 'mine.json');
      writeFileSync(f, JSON.stringify({ models: [{ name: 'class-model', title: 'Class model', uri: 'hf:school/Class-GGUF:Q4_K_M', downloadGB: 1, memoryGB: 2, license: 'MIT', note: 'ours' }] }));
      assert.deepEqual(loadCatalog(f).map((m) => m.name), ['class-model']);
      process.env.MEDIGEN_MODEL_CATALOG = f;
      assert.deepEqual(loadCatalog().map((m) => m.name), ['class-model']);
      delete process.env.MEDIGEN_MODEL_CATALOG;
      writeFileSync(f, JSON.stringify({ models: [{ name: 'x', title: 'X', uri: 'https://example.org/x.gguf', downloadGB: 1, memoryGB: 2, license: 'MIT', note: 'n' }] }));
      assert.throws(() => loadCatalog(f), (e: Error) => e instanceof MedigenError && /not an hf: URI/.test(e.message) && e.message.includes(f));
      writeFileSync(f, JSON.stringify({ models: [{ name: 'x', title: 'X', uri: 'hf:a/b:Q4_K_M', memoryGB: 2, license: 'MIT', note: 'n' }] }));
      assert.throws(() => loadCatalog(f), /needs "downloadGB"/);
      writeFileSync(f, '{');
      assert.throws(() => loadCatalog(f), /not valid JSON/);
      assert.throws(() => loadCatalog(join(dir, 'none.json')), /does not exist/);
    } finally {
      delete process.env.MEDIGEN_MODEL_CATALOG;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says whether this computer can run a model: GPU, CPU, tight, or too big', () => {
    const GB = 1e9;
    const m = { memoryGB: 3 };
    assert.equal(assessFit(m, { backend: 'cuda', ramTotal: 16 * GB, ramFree: 8 * GB, vramTotal: 8 * GB, vramFree: 6 * GB }).level, 'gpu');
    assert.match(assessFit(m, { backend: 'cpu', ramTotal: 16 * GB, ramFree: 8 * GB }).text, /runs on the CPU \(8\.0 GB of RAM free\)/);
    assert.equal(assessFit(m, { backend: 'vulkan', ramTotal: 8 * GB, ramFree: 2 * GB, vramTotal: 2 * GB, vramFree: 1.5 * GB }).level, 'cpu', 'GPU and RAM together');
    assert.match(assessFit(m, { backend: 'cpu', ramTotal: 8 * GB, ramFree: 1 * GB }).text, /close other programs/);
    const no = assessFit(m, { backend: 'cpu', ramTotal: 2 * GB, ramFree: 1 * GB });
    assert.equal(no.level, 'no');
    assert.match(no.text, /too big for this computer \(needs 3\.0 GB, it has 2\.0 GB in all\)/);
  });
});

describe('downloading a recommended model from a loopback hub (real node-llama-cpp downloader)', function () {
  this.timeout(120_000);
  let work: string;
  let tiny: string;
  let hub: FakeHub;
  let entry: CatalogModel;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'medigen-download-'));
    // A 28 MB random llama: node-llama-cpp's downloader (ipull) fetches 5 MB chunks over 4
    // connections and writes a chunk once it is complete, so a resume shows only past 4 chunks.
    tiny = await makeTinyLlama(join(work, 'tiny-28mb.gguf'), { embedding: 512, layers: 4, heads: 8, kvHeads: 4, feedForward: 1536 });
  });
  beforeEach(async () => {
    hub = await startFakeHub(tiny, { chunkBytes: 64 * 1024, delayMs: 1 });
    entry = { name: 'tiny', title: 'Tiny test model', uri: hub.uri, downloadGB: 0.001, memoryGB: 0.01, license: 'MIT', note: 'random weights' };
  });
  afterEach(async () => hub.close());
  after(() => rmSync(work, { recursive: true, force: true }));

  it('downloads with progress into the models folder and records it; a second call downloads nothing', async () => {
    const dir = join(work, 'm1');
    const reports: Array<[number, number]> = [];
    const r = await downloadCatalogModel(entry, { directory: dir, huggingFaceEndpoint: hub.url, progress: { report: (d, t) => reports.push([d, t]) } });
    assert.equal(sha(r.path), sha(tiny));
    assert.ok(r.path.startsWith(dir));
    assert.ok(reports.length > 0 && reports.at(-1)![0] === reports.at(-1)![1], JSON.stringify(reports));
    assert.equal(isDownloaded(entry, dir), r.path);
    assert.equal(listModels(dir)[0]!.ref, hub.uri);
    const before = hub.requests.length;
    const again = await downloadCatalogModel(entry, { directory: dir, huggingFaceEndpoint: hub.url });
    assert.equal(again.path, r.path);
    assert.deepEqual(hub.requests.slice(before).filter((q) => q.range), [], 'nothing downloaded again');
  });

  it('cancel (AbortSignal, as Ctrl+C and the notification\'s Cancel do) stops it with a clear message; the next call resumes with a Range request', async () => {
    const dir = join(work, 'm2');
    const controller = new AbortController();
    // Cancel as soon as the downloader has saved its first 5 MB chunk (the .ipull file appears).
    hub.onChunk = () => {
      if (!controller.signal.aborted && existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.ipull'))) controller.abort();
    };
    await assert.rejects(downloadCatalogModel(entry, { directory: dir, huggingFaceEndpoint: hub.url, signal: controller.signal }), (e: unknown) => e instanceof MedigenError && /cancelled/.test(e.message) && /resume/.test(e.hint));
    hub.onChunk = undefined;
    assert.equal(isDownloaded(entry, dir), undefined);
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.gguf.ipull')).length, 1, `the partial download is kept: ${readdirSync(dir).join(', ')}`);
    const sentBefore = hub.sentBytes();
    const requestsBefore = hub.requests.length;
    const r = await downloadCatalogModel(entry, { directory: dir, huggingFaceEndpoint: hub.url });
    assert.equal(sha(r.path), sha(tiny));
    const resumed = hub.requests.slice(requestsBefore).filter((q) => q.range);
    assert.ok(resumed.length > 0, 'the second call downloaded the rest');
    // The chunk saved before the cancel is not fetched again (ipull saves whole chunks of up to 5 MB).
    assert.ok(hub.sentBytes() - sentBefore < readFileSync(tiny).length, `the resumed download fetched ${hub.sentBytes() - sentBefore} bytes of ${readFileSync(tiny).length}: ${JSON.stringify(resumed)}`);
  });

  it('an interrupted connection resumes where it stopped and gives the same file', async () => {
    const dir = join(work, 'm3');
    hub.dropNextAfter(1 << 20);
    let r: Awaited<ReturnType<typeof downloadCatalogModel>> | undefined;
    let failures = 0;
    for (let i = 0; i < 3 && !r; i++) {
      try {
        r = await downloadCatalogModel(entry, { directory: dir, huggingFaceEndpoint: hub.url });
      } catch (e) {
        failures++;
        assert.ok(e instanceof MedigenError, String(e));
      }
    }
    assert.ok(r, 'downloaded after the interruption');
    assert.equal(sha(r!.path), sha(tiny));
    const size = readFileSync(tiny).length;
    // The cut 5 MB chunk is fetched again; the chunks that arrived are not.
    assert.ok(hub.sentBytes() < size + 5.3e6, `sent ${hub.sentBytes()} bytes for a ${size}-byte file: ${JSON.stringify(hub.requests)} (${failures} failed calls)`);
  });

  it('medigen models download <name> uses the instructor\'s list and the configured hub; a second run says it is already there', async () => {
    const list = join(work, 'class.json');
    writeFileSync(list, JSON.stringify({ models: [entry] }));
    process.env.MEDIGEN_MODEL_CATALOG = list;
    process.env.MEDIGEN_MODELS_DIR = join(work, 'cli-models');
    try {
      let r = await runCli(['models', 'download', 'tiny', '--endpoint', hub.url]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^Downloaded: .*cli-models.*\.gguf/m);
      assert.match(r.stderr, /Tiny test model: 0\.00 GB, needs about 0\.0 GB of memory, licence: MIT/);
      r = await runCli(['models', 'download', 'tiny', '--endpoint', hub.url]);
      assert.match(r.stdout, /^Already downloaded: /m);
      r = await runCli(['models', 'download', 'no-such-model']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /neither a recommended model nor an hf: URI[\s\S]*Recommended: tiny/);
    } finally {
      delete process.env.MEDIGEN_MODEL_CATALOG;
      delete process.env.MEDIGEN_MODELS_DIR;
    }
  });

  it('offline: says so and what to do (connect and run again, or copy the file from another computer)', async () => {
    await hub.close();
    await assert.rejects(
      downloadCatalogModel({ ...entry, page: 'https://example.org/tiny' }, { directory: join(work, 'm4'), huggingFaceEndpoint: hub.url }),
      (e: unknown) => e instanceof MedigenError && /offline/.test(e.message) && /resumes/.test(e.hint) && /another computer/.test(e.hint) && e.hint.includes('https://example.org/tiny'),
    );
    hub = await startFakeHub(tiny);
  });
});
