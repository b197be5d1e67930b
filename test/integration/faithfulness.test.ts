/**
 * Faithfulness in a real VS Code: a note generated through an endpoint (a real HTTP server on
 * loopback that answers a fixed note with one changed dose and one invented history item) has its
 * unsupported sentences underlined, the closest dialogue turns one click away (related locations,
 * the quick fix, the hover's link), and the identifier guard's "scrub" choice sends placeholders.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { GenerateNoteResult } from '../../extension/generation/commands';
import type { ShowEvidenceResult } from '../../extension/generation/faithfulness';

const DIALOGUE = [
  '[doctor] hi , mister jerry nguyen , how are you doing today ?',
  '[patient] my right knee has been hurting for about three weeks .',
  '[doctor] and you take ibuprofen for it ?',
  '[patient] yes , four hundred milligrams ,',
  'twice a day .',
  '[doctor] okay , let us get an x-ray of that knee .',
].join('\n');
const NOTE = 'CHIEF COMPLAINT\n\nRight knee pain for 3 weeks.\n\nHe takes ibuprofen 800 mg twice a day.\nHe has a history of gout.';

async function until<T>(what: string, get: () => T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Faithfulness diagnostics on a generated note (loopback endpoint with a fixed note)', function () {
  this.timeout(120_000);
  let server: Server;
  let base: string;
  const received: string[] = [];

  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d));
      req.on('end', () => {
        received.push((JSON.parse(body) as { messages: { content: string }[] }).messages.map((m) => m.content).join('\n'));
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(`data: ${JSON.stringify({ choices: [{ delta: { content: NOTE }, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`);
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  after(async () => {
    await new Promise<void>((done) => server.close(() => done()));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('underlines the unsupported sentences of a generated note, with the closest turns one click away; hovering a supported one links its evidence', async () => {
    const r = await vscode.commands.executeCommand<GenerateNoteResult>('medigenLab.generateNote', { dialogue: DIALOGUE, settings: { endpoint: base, endpointModel: 'm' } });
    assert.ok(r, 'the command returned nothing (an error was shown)');
    assert.equal(r.text, NOTE);
    assert.deepEqual(r.faithfulness && { sentences: r.faithfulness.sentences, unsupported: r.faithfulness.unsupported }, { sentences: 3, unsupported: 2 });
    const uri = vscode.Uri.parse(r.uri);
    const diags = await until('the diagnostics', () => {
      const d = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'MediGen Lab faithfulness');
      return d.length ? d : undefined;
    });
    assert.deepEqual(diags.map((d) => [d.range.start.line, d.range.start.character, d.range.end.character, d.severity]), [[4, 0, 38, vscode.DiagnosticSeverity.Warning], [5, 0, 25, vscode.DiagnosticSeverity.Warning]]);
    assert.match(diags[0]!.message, /Not supported by the dialogue: the number "800 mg"/);
    assert.match(diags[1]!.message, /the diagnosis or history "gout"/);
    const related = diags[0]!.relatedInformation ?? [];
    assert.ok(related.some((x) => x.location.uri.toString() === r.faithfulness!.dialogue && x.location.range.start.line === 3 && x.location.range.end.line === 4), JSON.stringify(related.map((x) => [x.location.uri.toString(), x.location.range.start.line, x.message])));

    const dialogueDoc = await vscode.workspace.openTextDocument(vscode.Uri.parse(r.faithfulness!.dialogue));
    assert.equal(dialogueDoc.getText(), DIALOGUE, 'the evidence points into the dialogue the note was generated from');

    const noteEditor = await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.One });
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diags[0]!.range);
    const fix = actions.find((a) => a.title === 'Show the closest turns in the dialogue');
    assert.ok(fix?.command, `quick fixes: ${actions.map((a) => a.title).join(', ')}`);
    const shown = await vscode.commands.executeCommand<ShowEvidenceResult>(fix.command.command, ...(fix.command.arguments ?? []));
    assert.ok(shown);
    assert.equal(shown.supported, false);
    assert.ok(shown.turns.includes(3) && shown.lines.includes(3), JSON.stringify(shown));
    const active = vscode.window.activeTextEditor;
    assert.equal(active?.document.uri.toString(), r.faithfulness!.dialogue, 'the dialogue is shown');
    assert.ok(active.selections.some((s) => s.start.line === 3 && s.end.line === 4), 'the two-line turn with the dose is selected');
    assert.notEqual(active, noteEditor);

    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(2, 5));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n').replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1'); // appendText escapes spaces and punctuation
    assert.match(text, /Supported by turns? (\d+, )*1\b.* of the dialogue/);
    assert.match(text, /my right knee has been hurting/);
    assert.match(text, /command:medigenLab\.showEvidence\?/);
  });

  it('with the guard\'s "scrub" choice, the endpoint receives the dialogue with the name replaced by [NAME]', async () => {
    received.length = 0;
    const r = await vscode.commands.executeCommand<GenerateNoteResult>('medigenLab.generateNote', { dialogue: DIALOGUE, settings: { endpoint: base, endpointModel: 'm' }, phi: 'scrub' });
    assert.ok(r);
    assert.equal(r.phi, 'scrub');
    assert.equal(received.length, 1);
    assert.ok(received[0]!.includes('hi , mister [NAME] , how are you'), received[0]);
    assert.ok(!/jerry|nguyen/.test(received[0]!), 'the name reached the endpoint');
  });
});
