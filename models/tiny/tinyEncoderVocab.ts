/**
 * The WordPiece vocabulary of the tiny test encoder, built in code: special tokens, single
 * characters and `##` continuation characters (so any lowercase ASCII word can be tokenized),
 * a few hundred whole words of everyday clinical English, and common suffix pieces.
 */

/** Special tokens, in id order 0..4 (BERT's names). */
export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

const WORDS = `
the a an and or but of to in on at for with without from by as is are was were be been has have had
do does did not no yes this that these those it its he she they we you i me my your his her their our
patient patients doctor nurse history present illness chief complaint reason visit subjective objective
exam examination physical vitals vital signs results findings assessment plan review systems social family
past medical surgical medications medication allergies allergy denies reports states notes presents
pain ache aches swelling fever cough chills nausea vomiting diarrhea constipation fatigue headache
dizziness shortness breath chest abdominal abdomen back neck knee shoulder hip ankle wrist elbow foot
hand arm leg head eye ear nose throat skin heart lung lungs kidney liver blood pressure rate rhythm
diabetes hypertension asthma depression anxiety arthritis infection injury fracture sprain strain
cancer tumor stroke seizure migraine obesity thyroid cholesterol sugar glucose insulin metformin
lisinopril ibuprofen tylenol acetaminophen aspirin antibiotic antibiotics steroid inhaler dose daily
twice once mg ml tablet tablets injection therapy physical surgery procedure biopsy scan mri ct
xray x ray ultrasound ekg echo lab labs test tests level levels normal abnormal mild moderate severe
acute chronic left right bilateral upper lower anterior posterior tender tenderness range motion
strength sensation intact clear regular murmur edema rash lesion wound bruising redness warmth
follow up return weeks week days day months month year years ago today yesterday morning night
continue start stop increase decrease refer referral order ordered recommend recommended discussed
explained understands agrees questions call if worse better improved improving stable same new
old male female man woman year-old age weight height bmi diet exercise smoking alcohol drinks
work job sleep walking running eat eating drinking water fluids rest ice heat brace splint
also some any all more less very well good bad still again about after before during since until
when while because so then there here what how which who will would can could should may might
`;

const SUFFIXES = ['s', 'es', 'ed', 'ing', 'ly', 'er', 'ers', 'est', 'al', 'tion', 'ness', 'ment', 'ity', 'ic', 'ive', 'ous'];

/** The vocabulary in id order (no duplicates). */
export function tinyVocabulary(): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (t: string) => {
    if (!seen.has(t)) {
      seen.add(t);
      out.push(t);
    }
  };
  for (const t of SPECIAL_TOKENS) add(t);
  for (const c of `.,;:!?'"()[]{}-_/\\%#&*+=<>@$|~\``) add(c);
  for (const c of '0123456789abcdefghijklmnopqrstuvwxyz') add(c);
  for (const c of '0123456789abcdefghijklmnopqrstuvwxyz') add(`##${c}`);
  for (const w of WORDS.split(/\s+/)) if (w && !/[^a-z]/.test(w)) add(w);
  for (const s of SUFFIXES) add(`##${s}`);
  return out;
}
