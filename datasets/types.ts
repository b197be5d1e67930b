/** One doctor-patient encounter of ACI-BENCH: the dialogue and its clinical note. */
export interface Encounter {
  /** The subset: virtassist, virtscribe or aci (the `dataset` column). */
  dataset: string;
  encounterId: string;
  dialogue: string;
  note: string;
  /** Columns of `<split>_metadata.csv` for this encounter, when that file is present. */
  metadata?: Record<string, string>;
  /** Where the row came from, for messages: file and 1-based line. */
  source?: { file: string; line: number };
}

/** The official splits of ACI-BENCH's challenge data. */
export const SPLITS = ['train', 'valid', 'test1', 'test2', 'test3'] as const;
export type SplitName = (typeof SPLITS)[number];

/** The four sections ACI-BENCH divides a note into. */
export const DIVISIONS = ['subjective', 'objective_exam', 'objective_results', 'assessment_and_plan'] as const;
export type Division = (typeof DIVISIONS)[number];
