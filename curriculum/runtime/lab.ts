/**
 * `medigen-lab`: what student exercise files import, e.g.
 *
 *     import { loadSplit, type Encounter } from 'medigen-lab';
 *
 * A small, stable face of the MediGen Lab library for lessons. The check runner and the student
 * workspace's tsconfig.json map the name `medigen-lab` to this file (see curriculum/engine/workspace.ts).
 */
export { loadSplit, resolveCorpusDir, sampleCorpusDir, SPLIT_FILES, type LoadedSplit } from '../../datasets/corpus';
export { parseCsv, writeCsv } from '../../datasets/csv';
export { DIVISIONS, SPLITS, type Encounter, type SplitName } from '../../datasets/types';
