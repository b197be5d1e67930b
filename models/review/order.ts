/**
 * The blind order: for each encounter, which system's note is shown as "A" and which as "B",
 * drawn at random from a recorded seed, so the same seed always gives the same order and the
 * reviewer cannot learn which position belongs to which system.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ReviewOrder } from './types';

/** A fresh seed for a new review (12 hex digits). */
export function newSeed(): string {
  return randomBytes(6).toString('hex');
}

/** A deterministic random number generator (mulberry32) seeded by the SHA-256 of `seed`. */
export function seededRandom(seed: string): () => number {
  let a = createHash('sha256').update(seed).digest().readUInt32LE(0);
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher-Yates shuffle of a copy of `items` with `random`. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * The review order of `encounterIds` (kept in their given order) with `systems` shuffled per
 * encounter from `seed`. With one system the order is simply that system everywhere.
 */
export function blindOrder(encounterIds: readonly string[], systems: readonly string[], seed: string): ReviewOrder {
  const random = seededRandom(seed);
  return { seed, encounters: encounterIds.map((encounterId) => ({ encounterId, systems: systems.length > 1 ? shuffled(systems, random) : [...systems] })) };
}

/** "A", "B", … for position 0, 1, … */
export function positionLabel(k: number): string {
  return String.fromCharCode(65 + k);
}
