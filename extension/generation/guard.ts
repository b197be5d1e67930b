/**
 * The identifier guard before a dialogue is sent to an endpoint on another machine: a modal with
 * what the guard found (counts by kind) and the choice to scrub, send as is, or stop. The scan
 * and the decision are models/safety's; an endpoint on this computer is not guarded.
 */
import * as vscode from 'vscode';
import type { Encounter } from '../../datasets/index';
import { isLocalEndpoint } from '../../models/remote/index';
import { decidePhi, describeFindings, findIdentifiersIn, formatFindingCounts, guardedInput, type PhiChoice, type PhiFindings } from '../../models/safety/index';

/** What the guard did: the input to send, the choice, and what it found. */
export interface GuardedInput<T> {
  input: T;
  choice: Exclude<PhiChoice, 'stop'>;
  findings?: PhiFindings;
}

const SCRUB = 'Scrub and Send';
const SEND = 'Send as Is';

/**
 * Runs the guard on a dialogue about to be sent to `endpoint`. `choice` (a command argument)
 * skips the question. Undefined when the user stops: nothing is sent.
 */
export async function guardDialogue<T extends string | Encounter>(input: T, endpoint: string, log: (line: string) => void, choice?: PhiChoice): Promise<GuardedInput<T> | undefined> {
  if (isLocalEndpoint(endpoint) && !choice) return { input, choice: 'send' };
  const findings = findIdentifiersIn([input]);
  const host = new URL(endpoint).host;
  const decision = decidePhi({ findings, interactive: true, destination: host, ...(choice ? { choice } : {}) });
  let chosen: PhiChoice;
  if ('choice' in decision) chosen = decision.choice;
  else {
    const pick = await vscode.window.showWarningMessage(
      `The dialogue holds ${formatFindingCounts(findings)}.`,
      { modal: true, detail: `${decision.ask}\n\n"${SCRUB}" replaces each one with a placeholder such as [NAME] or [PHONE] before the dialogue leaves this computer; the note is written from the scrubbed dialogue. The guard is rule-based: read the dialogue if in doubt.` },
      SCRUB,
      SEND,
    );
    chosen = pick === SCRUB ? 'scrub' : pick === SEND ? 'send' : 'stop';
  }
  log(`${describeFindings(findings)} Choice before sending to ${host}: ${chosen}.`);
  if (chosen === 'stop') {
    void vscode.window.showInformationMessage('Stopped: nothing was sent. Choose "Scrub and Send" to send the dialogue with its identifiers replaced, or clear medigenLab.endpoint to generate on this computer.');
    return undefined;
  }
  return { input: guardedInput(input, chosen), choice: chosen, findings };
}
