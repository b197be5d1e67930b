import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../../core/index';
import { SANDBOX_MARKER } from '../../../sandbox/index';

const root = projectRoot();
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// Command ids the lesson features register (extension/commands/index.ts), read from the source.
const registered = [...readFileSync(join(root, 'extension', 'commands', 'index.ts'), 'utf8').matchAll(/'(medigenLab\.[A-Za-z]+)'/g)].map((m) => m[1]!);

describe('package.json: the lesson features in the manifest', () => {
  it('activates lazily: no "*" and no onStartupFinished; lesson panels can be restored; a sandbox folder starts it', () => {
    assert.ok(!pkg.activationEvents.includes('*') && !pkg.activationEvents.includes('onStartupFinished'));
    assert.ok(pkg.activationEvents.includes('onWebviewPanel:medigenLab.lesson'));
    // Only a folder holding the sandbox's marker activates it at start-up (the first-start pages open there).
    assert.deepEqual(pkg.activationEvents.filter((e: string) => e.startsWith('workspaceContains:')), [`workspaceContains:${SANDBOX_MARKER}`]);
  });

  it('contributes every lesson command, with a title and the "MediGen Lab" category', () => {
    const contributed = new Map<string, { title: string; category: string }>(pkg.contributes.commands.map((c: { command: string }) => [c.command, c]));
    assert.ok(registered.length >= 14);
    for (const id of registered) {
      const c = contributed.get(id);
      assert.ok(c, `${id} is registered but not in contributes.commands`);
      assert.equal(c.category, 'MediGen Lab', id);
      assert.ok(c.title.length > 3, id);
    }
  });

  it('has the MediGen Lab view container with the Lessons tree, and welcome text for an untrusted folder', () => {
    assert.ok(pkg.contributes.viewsContainers.activitybar.some((c: { id: string; title: string }) => c.id === 'medigenLab' && c.title === 'MediGen Lab'));
    assert.ok(pkg.contributes.views.medigenLab.some((v: { id: string }) => v.id === 'medigenLab.lessons'));
    assert.ok(pkg.contributes.viewsWelcome.some((w: { when?: string; contents: string }) => w.when === '!isWorkspaceTrusted' && /workbench\.trust\.manage/.test(w.contents)));
    for (const icon of [pkg.contributes.viewsContainers.activitybar[0].icon]) assert.ok(existsSync(join(root, icon)), icon);
  });

  it('documents every medigenLab setting', () => {
    const props = pkg.contributes.configuration.properties;
    for (const key of ['medigenLab.sandboxFolder', 'medigenLab.modulesFolder']) {
      assert.ok(props[key], key);
      assert.ok((props[key].markdownDescription ?? props[key].description ?? '').length > 40, `${key} needs a description`);
      assert.ok('default' in props[key], `${key} needs a default`);
    }
  });

  it('supports untrusted workspaces in a limited way, saying what is off', () => {
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.match(pkg.capabilities.untrustedWorkspaces.description, /no exercise code and no checks/);
    for (const key of ['medigenLab.sandboxFolder', 'medigenLab.modulesFolder']) assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes(key), key);
  });

  it('has a walkthrough to the first passing check: view → start lesson → open exercise → run check', () => {
    const w = pkg.contributes.walkthroughs.find((x: { id: string }) => x.id === 'medigenLab.firstCheck');
    assert.ok(w);
    const steps: { id: string; description: string; media: { markdown: string }; completionEvents: string[] }[] = w.steps;
    assert.deepEqual(steps.map((s) => s.id), ['openView', 'startLesson', 'openExercise', 'runCheck']);
    assert.deepEqual(steps.map((s) => s.completionEvents[0]), ['onView:medigenLab.lessons', 'onCommand:medigenLab.startLesson', 'onCommand:medigenLab.openExercise', 'onCommand:medigenLab.runCheck']);
    for (const s of steps) {
      assert.ok(existsSync(join(root, s.media.markdown)), s.media.markdown);
      const link = /\(command:([^?)]+)(?:\?([^)]*))?\)/.exec(s.description);
      assert.ok(link, `${s.id} has a command link`);
      if (link[1]!.startsWith('medigenLab.')) assert.ok(registered.includes(link[1]!), link[1]);
      if (link[2]) {
        const args = JSON.parse(decodeURIComponent(link[2])) as string[];
        // The arguments name the shipped module's lesson/exercise.
        const manifest = JSON.parse(readFileSync(join(root, 'curriculum', 'modules', 'meet-the-data', 'medigen-module.json'), 'utf8'));
        const ids = manifest.lessons.flatMap((l: { id: string; exercises: { id: string }[] }) => [`meet-the-data#${l.id}`, ...l.exercises.map((e) => `meet-the-data/${e.id}`)]);
        assert.ok(ids.includes(args[0]), `${s.id}: ${args[0]}`);
      }
    }
  });

  it('ships the lesson webview script entry and its stylesheet', () => {
    assert.ok(existsSync(join(root, 'webviews', 'lesson', 'main.ts')));
    assert.ok(readdirSync(join(root, 'webviews', 'lesson')).includes('lesson.css'));
    assert.match(readFileSync(join(root, 'webviews', 'lesson', 'main.ts'), 'utf8'), /import '\.\/lesson\.css'/);
  });
});
