/**
 * The identifier guard before dialogue text leaves this computer (a remote endpoint): what the
 * scan found, in plain words; what to do about it (scrub, send as is, or stop), decided from a
 * flag, or by asking when someone can answer, and refused by default when nobody can; and the
 * scrubbed dialogues to send instead.
 */
import { MedigenError } from '../../core/index';
import type { Encounter } from '../../datasets/index';
import { IDENTIFIER_KINDS, scanIdentifiers, scrubIdentifiers, type IdentifierKind } from './identifiers';

/** What to do with identifiers found before sending: replace them by placeholders, send the text unchanged, or send nothing. */
export type PhiChoice = 'scrub' | 'send' | 'stop';
export const PHI_CHOICES: readonly PhiChoice[] = ['scrub', 'send', 'stop'];

/** What the guard found in the texts about to be sent. */
export interface PhiFindings {
  /** Texts (dialogues) looked at. */
  texts: number;
  /** Texts holding at least one identifier. */
  textsWithIdentifiers: number;
  /** Identifiers found in all. */
  total: number;
  byKind: Record<IdentifierKind, number>;
}

const NAME_COLUMNS = ['patient_firstname', 'patient_familyname', 'doctor_name'];

/** The names ACI-BENCH's metadata gives for an encounter (patient and doctor), looked for wherever they appear. */
export function encounterNames(e: Pick<Encounter, 'metadata'>): string[] {
  const m = e.metadata ?? {};
  return NAME_COLUMNS.map((c) => m[c]).filter((n): n is string => !!n && n.trim() !== '' && n !== '#####EMPTY#####');
}

function dialogueOf(input: string | Encounter): { text: string; names: string[] } {
  return typeof input === 'string' ? { text: input, names: [] } : { text: input.dialogue, names: encounterNames(input) };
}

/** Scans the dialogues about to be sent (a dialogue text, or encounters with their metadata names). */
export function findIdentifiersIn(inputs: readonly (string | Encounter)[]): PhiFindings {
  const byKind = Object.fromEntries(IDENTIFIER_KINDS.map((k) => [k, 0])) as Record<IdentifierKind, number>;
  let textsWithIdentifiers = 0;
  let total = 0;
  for (const input of inputs) {
    const { text, names } = dialogueOf(input);
    const hits = scanIdentifiers(text, { knownNames: names });
    if (hits.length) textsWithIdentifiers++;
    total += hits.length;
    for (const h of hits) byKind[h.kind]++;
  }
  return { texts: inputs.length, textsWithIdentifiers, total, byKind };
}

const KIND_NAMES: Record<IdentifierKind, [string, string]> = {
  name: ['name', 'names'],
  phone: ['phone number', 'phone numbers'],
  email: ['email address', 'email addresses'],
  mrn: ['record number', 'record numbers'],
  dob: ['date of birth', 'dates of birth'],
  address: ['street address', 'street addresses'],
  ssn: ['social security number', 'social security numbers'],
};

/** The counts by kind in words: "3 names, 1 phone number and 1 date of birth". Empty when none. */
export function formatFindingCounts(f: PhiFindings): string {
  const parts = IDENTIFIER_KINDS.filter((k) => f.byKind[k] > 0).map((k) => `${f.byKind[k]} ${KIND_NAMES[k][f.byKind[k] === 1 ? 0 : 1]}`);
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : (parts[0] ?? '');
}

/** One sentence saying what the guard found, e.g. "The identifier guard found 3 names and 1 phone number in 2 of 10 dialogues." */
export function describeFindings(f: PhiFindings): string {
  const where = f.texts === 1 ? 'in the dialogue' : `in ${f.textsWithIdentifiers} of ${f.texts} dialogues`;
  return f.total ? `The identifier guard found ${formatFindingCounts(f)} ${where}.` : `The identifier guard found no names, phone numbers, emails, record numbers, dates of birth, addresses or SSNs ${f.texts === 1 ? 'in the dialogue' : `in ${f.texts} dialogues`}.`;
}

/** What the guard needs to decide. */
export interface PhiDecisionInput {
  findings: PhiFindings;
  /** The choice given beforehand (a command-line flag, a command argument), if any. */
  choice?: PhiChoice;
  /** True when someone can be asked (a terminal, an editor). */
  interactive: boolean;
  /** Where the text would go, for the messages. */
  destination: string;
  /** How to give the choice without being asked, for the refusal's hint. Defaults to "--phi scrub|send|stop". */
  howToChoose?: string;
}

/** Either a choice, or "ask the user" (with the question to ask). */
export type PhiDecision = { choice: PhiChoice } | { ask: string };

/**
 * Decides what happens to the dialogues: a given choice is kept; with nothing found they are sent;
 * otherwise the user is asked, and when nobody can be asked the guard refuses (a MedigenError
 * naming what it found and how to choose).
 */
export function decidePhi(d: PhiDecisionInput): PhiDecision {
  if (d.choice) return { choice: d.choice };
  if (d.findings.total === 0) return { choice: 'send' };
  if (d.interactive) return { ask: `${describeFindings(d.findings)} They are about to be sent to ${d.destination}. Scrub them (replace each by a placeholder such as [NAME]), send the dialogues as they are, or stop?` };
  throw new MedigenError(
    `${describeFindings(d.findings)} Nothing was sent to ${d.destination}: the guard does not send identifiers without being told to.`,
    `Choose with ${d.howToChoose ?? '--phi scrub|send|stop'}: "scrub" replaces each identifier by a placeholder such as [NAME] before sending, "send" sends the dialogues as they are (only to an endpoint approved for patient data), "stop" sends nothing.`,
  );
}

/** An answer typed at a prompt ("scrub", " Send ", "send as is", …) as a choice; undefined when it is none. */
export function parsePhiAnswer(answer: string): PhiChoice | undefined {
  const a = answer.trim().toLowerCase().replace(/\s+/g, ' ');
  return PHI_CHOICES.find((c) => c === a) ?? (a === 'send as is' ? 'send' : undefined);
}

/**
 * An encounter with its dialogue scrubbed (names from the metadata looked for too) and the name
 * columns of its metadata replaced by [NAME], so no template can put them back into the prompt.
 */
export function scrubEncounter(e: Encounter): Encounter {
  const scrubbed = scrubIdentifiers(e.dialogue, { knownNames: encounterNames(e) }).text;
  const metadata = e.metadata && Object.fromEntries(Object.entries(e.metadata).map(([k, v]) => [k, NAME_COLUMNS.includes(k) && v.trim() !== '' ? '[NAME]' : v]));
  return { ...e, dialogue: scrubbed, ...(metadata ? { metadata } : {}) };
}

/** The input to send after the choice: scrubbed for "scrub", unchanged for "send". */
export function guardedInput<T extends string | Encounter>(input: T, choice: Exclude<PhiChoice, 'stop'>): T {
  if (choice === 'send') return input;
  return (typeof input === 'string' ? scrubIdentifiers(input).text : scrubEncounter(input)) as T;
}
