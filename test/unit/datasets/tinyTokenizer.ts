/**
 * Writes a tiny WordPiece tokenizer (tokenizer.json + tokenizer_config.json) into a folder, so
 * tokenizer tests run offline with a real @huggingface/transformers tokenizer and known counts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Whole words in the vocabulary; anything else splits into the letter pieces below or [UNK]. */
export const TINY_WORDS = ['the', 'patient', 'doctor', 'hi', 'how', 'are', 'you', 'i', 'am', 'fine', 'pain', 'knee', 'note', 'generate', 'clinical', 'soap', 'dialogue'];

/** Creates `dir` with the tokenizer files and returns it. */
export function writeTinyTokenizer(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const specials = ['[PAD]', '[UNK]', '[CLS]', '[SEP]'];
  const letters = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const vocabList = [...specials, ...TINY_WORDS, ...letters, ...[...letters].map((c) => `##${c}`), ',', '.', '?', '[', ']', ':', '-', '/', "'"];
  const vocab: Record<string, number> = {};
  for (const t of vocabList) if (!(t in vocab)) vocab[t] = Object.keys(vocab).length;
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specials.map((content) => ({ id: vocab[content], content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: { type: 'TemplateProcessing', single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }], pair: [], special_tokens: { '[CLS]': { id: '[CLS]', ids: [vocab['[CLS]']], tokens: ['[CLS]'] }, '[SEP]': { id: '[SEP]', ids: [vocab['[SEP]']], tokens: ['[SEP]'] } } },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ tokenizer_class: 'BertTokenizer', do_lower_case: true, unk_token: '[UNK]', pad_token: '[PAD]', cls_token: '[CLS]', sep_token: '[SEP]', model_max_length: 512 }));
  return dir;
}
