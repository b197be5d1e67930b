/**
 * `summarizeReviews`: what a batch of review files says. The share of notes usable without
 * corrections (rated "usable as is", the MediGen study's yardstick), counts by rating, error marks
 * by kind, per system; which system was preferred (per note a reviewer rated for both systems, and
 * overall); and agreement between reviewers on notes rated twice (Cohen's kappa per pair).
 */
import { cohensKappa, kappaWords, type Kappa } from './kappa';
import { ERROR_KINDS, RATING_LABELS, RATINGS, type ErrorKind, type Rating, type ReviewFile } from './types';

/** Counts over a set of rated notes. */
export interface RatingCounts {
  /** Notes with a rating. */
  rated: number;
  /** Notes rated "usable as is". */
  usableAsIs: number;
  /** usableAsIs / rated; null when nothing is rated. */
  usableShare: number | null;
  byRating: Record<Rating, number>;
  errors: Record<ErrorKind, number>;
  /** Rated notes the reviewer edited. */
  edited: number;
}

/** One note rated for both systems by one reviewer. */
export interface NotePreference {
  reviewer: string;
  encounterId: string;
  ratings: Record<string, Rating>;
  /** The system with the better rating, or null for a tie. */
  preferred: string | null;
}

/** Agreement of two reviewers. */
export interface PairAgreement extends Kappa {
  reviewers: [string, string];
  /** Landis & Koch's words for the kappa. */
  words: string;
}

/** What {@link summarizeReviews} returns. */
export interface ReviewSummary {
  reviewers: string[];
  systems: string[];
  overall: RatingCounts;
  bySystem: Record<string, RatingCounts>;
  preference: {
    notes: NotePreference[];
    /** Per system: the notes where it was rated better. */
    wins: Record<string, number>;
    ties: number;
    /** The system preferred more often, or null (a tie, or no note rated for two systems). */
    preferred: string | null;
  };
  /** Per pair of reviewers who rated the same notes: Cohen's kappa over those notes. */
  agreement: PairAgreement[];
  /** Notes (encounter and system) rated by at least two reviewers. */
  ratedTwice: number;
}

function emptyCounts(): RatingCounts {
  return {
    rated: 0,
    usableAsIs: 0,
    usableShare: null,
    byRating: Object.fromEntries(RATINGS.map((r) => [r, 0])) as Record<Rating, number>,
    errors: Object.fromEntries(ERROR_KINDS.map((k) => [k, 0])) as Record<ErrorKind, number>,
    edited: 0,
  };
}

/** Summarizes review files (one per reviewer; several files of one reviewer are merged). */
export function summarizeReviews(files: readonly ReviewFile[]): ReviewSummary {
  const overall = emptyCounts();
  const bySystem: Record<string, RatingCounts> = {};
  const reviewers = [...new Set(files.map((f) => f.reviewer))];
  // reviewer → "encounter\u0000system" → rating (a later file of the same reviewer wins)
  const ratings = new Map<string, Map<string, Rating>>();
  for (const f of files) {
    const mine = ratings.get(f.reviewer) ?? new Map<string, Rating>();
    ratings.set(f.reviewer, mine);
    for (const n of f.notes) {
      if (!n.rating) continue;
      mine.set(`${n.encounterId}\u0000${n.system}`, n.rating);
      for (const c of [overall, (bySystem[n.system] ??= emptyCounts())]) {
        c.rated++;
        c.byRating[n.rating]++;
        if (n.rating === 'usable-as-is') c.usableAsIs++;
        for (const e of n.errors) c.errors[e.kind]++;
        if (n.editedNote !== undefined) c.edited++;
      }
    }
  }
  for (const c of [overall, ...Object.values(bySystem)]) c.usableShare = c.rated ? c.usableAsIs / c.rated : null;
  const systems = Object.keys(bySystem).sort();

  // Preference: per reviewer and encounter with exactly two systems rated, the better rating wins.
  const notes: NotePreference[] = [];
  for (const [reviewer, mine] of ratings) {
    const perEncounter = new Map<string, Record<string, Rating>>();
    for (const [key, rating] of mine) {
      const [encounterId, system] = key.split('\u0000') as [string, string];
      (perEncounter.get(encounterId) ?? perEncounter.set(encounterId, {}).get(encounterId)!)[system] = rating;
    }
    for (const [encounterId, r] of perEncounter) {
      const entries = Object.entries(r);
      if (entries.length !== 2) continue;
      const [[s1, r1], [s2, r2]] = entries as [[string, Rating], [string, Rating]];
      const d = RATINGS.indexOf(r1) - RATINGS.indexOf(r2);
      notes.push({ reviewer, encounterId, ratings: r, preferred: d < 0 ? s1 : d > 0 ? s2 : null });
    }
  }
  const wins: Record<string, number> = {};
  for (const n of notes) if (n.preferred) wins[n.preferred] = (wins[n.preferred] ?? 0) + 1;
  for (const n of notes) for (const s of Object.keys(n.ratings)) wins[s] ??= 0;
  const ranked = Object.entries(wins).sort((a, b) => b[1] - a[1]);
  const preferred = ranked.length >= 2 && ranked[0]![1] > ranked[1]![1] ? ranked[0]![0] : null;

  // Agreement: every pair of reviewers over the notes both rated.
  const agreement: PairAgreement[] = [];
  const twice = new Set<string>();
  for (let i = 0; i < reviewers.length; i++) {
    for (let j = i + 1; j < reviewers.length; j++) {
      const a = ratings.get(reviewers[i]!)!;
      const b = ratings.get(reviewers[j]!)!;
      const shared = [...a.keys()].filter((k) => b.has(k));
      if (!shared.length) continue;
      for (const k of shared) twice.add(k);
      const k = cohensKappa(shared.map((s) => a.get(s)!), shared.map((s) => b.get(s)!));
      agreement.push({ reviewers: [reviewers[i]!, reviewers[j]!], ...k, words: kappaWords(k.kappa) });
    }
  }
  return { reviewers, systems, overall, bySystem, preference: { notes, wins, ties: notes.filter((n) => !n.preferred).length, preferred }, agreement, ratedTwice: twice.size };
}

const pct = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(1)}%`);

function countsLine(c: RatingCounts): string {
  return `${c.usableAsIs} of ${c.rated} usable as is (${pct(c.usableShare)}); ` + RATINGS.map((r) => `${RATING_LABELS[r]} ${c.byRating[r]}`).join(', ');
}

/** The summary as text for a person (what `medigen review summary` prints). */
export function formatReviewSummary(s: ReviewSummary): string {
  const lines: string[] = [];
  lines.push(`Reviewers: ${s.reviewers.join(', ')}`);
  if (s.overall.rated === 0) {
    lines.push('No note has a rating yet: open the notes with "MediGen Lab: Review Notes…" and rate them.');
    return lines.join('\n') + '\n';
  }
  lines.push('', `Usable without corrections: ${pct(s.overall.usableShare)} (${s.overall.usableAsIs} of ${s.overall.rated} rated notes; the MediGen study's yardstick)`);
  lines.push(`Ratings: ${RATINGS.map((r) => `${RATING_LABELS[r]} ${s.overall.byRating[r]}`).join(', ')}`);
  lines.push(`Errors marked: ${ERROR_KINDS.map((k) => `${k} ${s.overall.errors[k]}`).join(', ')}; ${s.overall.edited} note(s) edited`);
  if (s.systems.length > 1) {
    lines.push('', 'By system:');
    for (const sys of s.systems) lines.push(`  ${sys}: ${countsLine(s.bySystem[sys]!)}`);
  }
  if (s.preference.notes.length) {
    const p = s.preference;
    const w = Object.entries(p.wins).map(([sys, n]) => `${sys} ${n}`).join(', ');
    lines.push('', `Preferred (${p.notes.length} note(s) rated for both systems): ${w}, ties ${p.ties}. ${p.preferred ? `Overall: ${p.preferred}.` : 'Overall: neither system.'}`);
  }
  lines.push('');
  if (!s.agreement.length) lines.push('Agreement: no note was rated by two reviewers, so there is no kappa. Give two reviewers the same notes to measure it.');
  for (const a of s.agreement) {
    const k = a.kappa === null ? 'undefined' : a.kappa.toFixed(3);
    lines.push(`Agreement ${a.reviewers[0]} vs ${a.reviewers[1]}: Cohen's kappa ${k} (${a.words}) on ${a.n} note(s) rated by both; observed ${pct(a.observed)}, expected by chance ${pct(a.expected)}`);
  }
  return lines.join('\n') + '\n';
}
