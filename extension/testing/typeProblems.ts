/**
 * What TypeScript, which reads the student's code as they type (the red underlines), already knows
 * about a failed check's cause. VS Code's own TypeScript service computes these diagnostics; after a
 * failed check the lesson card shows the ones that in a beginner's exercise file are almost always
 * the bug (a misspelled name or field, a missing return, a text where a number belongs), first.
 * Strict mode's other complaints (an object used as a table, a value that may be undefined) are
 * left to the editor: they would bury the cause under warnings about code that runs correctly.
 */
import { relative, sep } from 'node:path';
import * as vscode from 'vscode';
import type { CheckFailureView } from '../lesson/failures';

/** TypeScript error codes that point at the bug itself in an exercise file. */
const LIKELY_BUGS = new Set([
  2304, // Cannot find name 'x'.
  2552, // Cannot find name 'x'. Did you mean 'y'?
  2339, // Property 'x' does not exist on type 'T'.
  2551, // Property 'x' does not exist on type 'T'. Did you mean 'y'?
  2322, // Type 'string' is not assignable to type 'number'.
  2345, // Argument of type 'A' is not assignable to parameter of type 'B'.
  2355, // A function whose declared type is neither 'undefined', 'void', nor 'any' must return a value.
  2366, // Function lacks ending return statement and return type does not include 'undefined'.
  2367, // This comparison appears to be unintentional because the types 'A' and 'B' have no overlap.
  2554, // Expected 2 arguments, but got 1.
]);

/** Most type problems shown on the card: the first is usually the one to fix. */
const MAX_SHOWN = 2;

/** TypeScript's likely-bug errors in the files under `workDir`, as lesson-card entries (file and line, the message, what it means). */
export function typeProblems(workDir: string): CheckFailureView[] {
  const found: { file: string; line: number; message: string }[] = [];
  for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
    if (uri.scheme !== 'file' || !uri.fsPath.startsWith(workDir + sep)) continue;
    for (const d of diagnostics) {
      const code = Number(typeof d.code === 'object' ? d.code.value : d.code);
      if (d.severity !== vscode.DiagnosticSeverity.Error || d.source !== 'ts' || !LIKELY_BUGS.has(code)) continue;
      found.push({ file: relative(workDir, uri.fsPath), line: d.range.start.line + 1, message: d.message.split('\n')[0]! });
    }
  }
  found.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return found.slice(0, MAX_SHOWN).map((p) => ({
    title: `${p.file}, line ${p.line}`,
    message: p.message,
    plain: 'TypeScript, which reads your code as you type (the red underline in the editor), sees a mistake on this line. It is often the cause of the failures below: fix it first.',
  }));
}
