import { UsageError } from '../../core/index';
import { formatReviewSummary, readReviewFile, summarizeReviews } from '../../models/review/index';
import { EXIT, defineCommand, type Command } from '../command';

const summary = defineCommand({
  path: ['review', 'summary'],
  summary: 'Summarize clinician reviews: share usable as is, errors, preferred system, agreement (Cohen\'s kappa)',
  usage: '<review.json...> [--json]',
  options: {
    json: { type: 'boolean' },
  },
  help: {
    json: 'Print the summary as JSON (overall, bySystem, preference, agreement).',
  },
  details: `Reads the review files saved by "MediGen Lab: Review Notes…" in VS Code (one JSON file per
reviewer) and reports:
  - the share of notes usable without corrections (rated "usable as is", the MediGen study's yardstick),
    the counts by rating and the error marks by kind (omission, unsupported statement, wrong section);
  - with two systems: which one the reviewers preferred, per note and overall;
  - with two or more reviewers: their agreement on the notes both rated, as Cohen's kappa.

Examples:
  medigen review summary review-alice.json
  medigen review summary review-alice.json review-bob.json --json > summary.json`,
  async run(ctx) {
    if (!ctx.positionals.length) throw new UsageError('Give at least one review file.', 'Example: medigen review summary review-alice.json review-bob.json');
    const files = ctx.positionals.map((f) => readReviewFile(f));
    const s = summarizeReviews(files);
    ctx.out.write(ctx.values.json ? JSON.stringify(s, null, 2) + '\n' : formatReviewSummary(s));
    if (s.overall.rated === 0) {
      ctx.err.write('No note in these files has a rating, so there is nothing to summarize yet.\n');
      return EXIT.failed;
    }
    return EXIT.ok;
  },
});

export const reviewCommands: Command[] = [summary];
