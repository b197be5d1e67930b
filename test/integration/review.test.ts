/**
 * Clinician review in a real VS Code: "Review Notes…" opens two systems' notes for one encounter,
 * blind and in a recorded order, beside the dialogue; the page draws the faithfulness highlights
 * (the note with a planted detail has an unsupported sentence); both notes are rated through the
 * panel's messages (as its buttons send them), one with an error mark and an edit; the saved file
 * then reads back through `medigen review summary` (the built CLI, a real subprocess).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { loadSplit, writeCsv } from '../../datasets/index';
import { readReviewFile, summarizeReviews, type ReviewSummary } from '../../models/review/index';
import type { ReviewPanel } from '../../extension/review/panel';
import { medigenApi } from './support';

// This bundle lives in <repo>/out/test/integration/.
const repoRoot = join(__dirname, '..', '..', '..');
const corpus = join(repoRoot, 'datasets', 'sample');

describe('Clinician review in VS Code', function () {
  this.timeout(120_000);
  let dir: string;
  let out: string;
  let faithful: string;
  let planted: string;
  const PLANTED = 'She takes warfarin 75 mg every 3 hours.';

  before(async () => {
    await medigenApi();
    dir = mkdtempSync(join(tmpdir(), 'medigen-review-it-'));
    out = join(dir, 'review-it.json');
    const valid = loadSplit('valid', corpus).encounters;
    faithful = join(dir, 'faithful.csv');
    planted = join(dir, 'planted.csv');
    writeFileSync(faithful, writeCsv(['encounter_id', 'note'], valid.map((e) => [e.encounterId, e.note])));
    writeFileSync(planted, writeCsv(['encounter_id', 'note'], valid.map((e) => [e.encounterId, `${e.note}\n${PLANTED}`])));
  });

  after(async () => {
    if (process.env.MEDIGEN_TEST_SHOW === 'review') return;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens two systems blind beside the dialogue, rates both notes, and the summary reads the saved file', async () => {
    const panel = await vscode.commands.executeCommand<ReviewPanel>('medigenLab.reviewNotes', { predictions: [faithful, planted], gold: 'valid', corpus, reviewer: 'dr-it', out, seed: 'integration', limit: 1 });
    assert.ok(panel, 'Review Notes returned no panel (see the error notification / MediGen Lab output)');
    assert.equal((await medigenApi()).review.panel(), panel);
    const items = panel.session.items;
    assert.equal(items.length, 2);
    assert.deepEqual(items.map((i) => i.label), ['A', 'B']);
    assert.equal(items[0]!.encounterId, items[1]!.encounterId);
    assert.equal(panel.panel.title, 'Review: dr-it');

    // The page draws each note with its highlights: the planted note has exactly one more
    // unsupported sentence than the same note without the planted detail, and it is that one.
    const plantedAt = items.findIndex((i) => i.system === 'planted');
    const unsupportedIn = (i: number) => panel.viewOf(i).sentences.filter((x) => !x.supported).length;
    await panel.whenRendered((r) => r.index === 0);
    assert.equal(panel.rendered.unsupported, unsupportedIn(0), 'the page drew the tracer\'s unsupported sentences');
    assert.equal(unsupportedIn(plantedAt), unsupportedIn(1 - plantedAt) + 1);
    const view = panel.viewOf(plantedAt);
    assert.equal(view.title, `Note ${items[plantedAt]!.label}`, 'blind: the system is not shown');
    const flagged = view.sentences.findIndex((x) => !x.supported && x.text === PLANTED);
    assert.ok(flagged >= 0, 'the planted sentence is marked unsupported');

    // Rate note 1 as its rating buttons do, then go to note 2, rate, mark and edit it.
    const rate = async (i: number) => {
      const rating = i === plantedAt ? 'major-edits' : 'usable-as-is';
      await panel.receive({ type: 'rate', rating });
      await panel.whenRendered((r) => r.index === i && r.rating === rating);
      if (i === plantedAt) {
        await panel.receive({ type: 'marks', marks: [{ kind: 'unsupported-statement', sentence: flagged, text: PLANTED }] });
        await panel.receive({ type: 'edit', text: items[i]!.note.replace(`\n${PLANTED}`, '') });
      }
    };
    await rate(0);
    await panel.receive({ type: 'go', index: 1 });
    await panel.whenRendered((r) => r.index === 1);
    assert.equal(panel.rendered.unsupported, unsupportedIn(1));
    await rate(1);
    assert.deepEqual(panel.session.progress(), { rated: 2, total: 2 });

    // The saved file, through the library and through the built CLI.
    const saved = readReviewFile(out);
    assert.equal(saved.reviewer, 'dr-it');
    assert.equal(saved.order.seed, 'integration');
    const edited = saved.notes.find((n) => n.system === 'planted')!;
    assert.equal(edited.errors[0]!.kind, 'unsupported-statement');
    assert.equal(edited.errors[0]!.sentence, flagged);
    assert.ok(edited.editedNote && !edited.editedNote.includes('warfarin'));
    const fromLib = summarizeReviews([saved]);
    const cli = spawnSync(process.execPath, [join(repoRoot, 'dist', 'cli.mjs'), 'review', 'summary', out, '--json'], { encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);
    const s = JSON.parse(cli.stdout) as ReviewSummary;
    assert.deepEqual(s, JSON.parse(JSON.stringify(fromLib)));
    assert.equal(s.overall.rated, 2);
    assert.equal(s.overall.usableShare, 0.5);
    assert.equal(s.overall.errors['unsupported-statement'], 1);
    assert.equal(s.overall.edited, 1);
    assert.equal(s.preference.preferred, 'faithful');
    const text = spawnSync(process.execPath, [join(repoRoot, 'dist', 'cli.mjs'), 'review', 'summary', out], { encoding: 'utf8' });
    assert.match(text.stdout, /Usable without corrections: 50\.0% \(1 of 2 rated notes/);
  });

  it('opening the same review file again continues it, with the ratings kept', async () => {
    const panel = await vscode.commands.executeCommand<ReviewPanel>('medigenLab.reviewNotes', { predictions: [faithful, planted], gold: 'valid', corpus, reviewer: 'dr-it', out });
    assert.ok(panel);
    assert.deepEqual(panel.session.progress(), { rated: 2, total: 2 });
    await panel.whenRendered((r) => r.index === 0 && r.rating !== null);
    assert.equal(panel.session.review.order.seed, 'integration');
  });
});
