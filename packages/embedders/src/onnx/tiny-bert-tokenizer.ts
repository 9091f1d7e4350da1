const specialTokens = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;
const characters = [...'abcdefghijklmnopqrstuvwxyz0123456789', ...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'];
const commonWords = `the of and to in is was for on that with as by at from it an be are this which or have has
not but were his her they their one all we you can more other new some time when what there about after first also
into only than two may most over such these then them so any out up would who cat dog sat mat stock market rate
plant leaf light music piano concert water house city model data text word sentence corpus cluster train`.split(/\s+/);

/** The WordPiece vocabulary of the tiny model: special tokens, characters, "##" pieces, common words, then `extra`. */
export function tinyBertVocabulary(extra: readonly string[] = []): string[] {
  const vocabulary: string[] = [...specialTokens];
  const seen = new Set(vocabulary);
  const add = (token: string) => {
    if (token.length > 0 && !seen.has(token)) {
      seen.add(token);
      vocabulary.push(token);
    }
  };
  for (const character of characters) add(character);
  for (const character of characters.slice(0, 36)) add(`##${character}`);
  for (const word of commonWords) add(word);
  for (const token of extra) add(token);
  return vocabulary;
}

/** tokenizer.json (Hugging Face tokenizers format) of a lowercasing BERT WordPiece tokenizer over `vocabulary`. */
export function tinyBertTokenizerJson(vocabulary: readonly string[]): Record<string, unknown> {
  const ids = Object.fromEntries(vocabulary.map((token, id) => [token, id]));
  const cls = ids['[CLS]'] as number;
  const sep = ids['[SEP]'] as number;
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specialTokens.map((content) => ({ id: ids[content], content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [cls], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [sep], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: ids },
  };
}

/** tokenizer_config.json of the tiny model. */
export function tinyBertTokenizerConfig(): Record<string, unknown> {
  return {
    tokenizer_class: 'BertTokenizer',
    model_max_length: 512,
    do_lower_case: true,
    clean_up_tokenization_spaces: true,
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    mask_token: '[MASK]',
  };
}
