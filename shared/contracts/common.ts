import * as z from 'zod';

/** Ids that travel in keys, URLs and file names: a strict, printable alphabet. */
export const RecordId = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be 1–128 characters of A–Z a–z 0–9 . _ : -');

/** A team id doubles as an S3 key segment and a URL path segment. */
export const TeamId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lowercase letters, digits and dashes');

export const IsoDateTime = z.iso.datetime({ offset: true });

export const Split = z.enum(['public', 'private']);
export type Split = z.infer<typeof Split>;

export const ScoringMode = z.enum(['pairwise-reference', 'rubric', 'arena']);
export type ScoringMode = z.infer<typeof ScoringMode>;

/** A JSON number that is finite: NaN and ±Infinity never reach a file. */
export const FiniteNumber = z.number().refine(Number.isFinite, 'must be a finite number');

/**
 * Characters that make a displayed name lie about itself: controls (C0, C1), format characters (the
 * bidi embeddings, overrides and isolates that render a name reversed, zero-width spaces and
 * joiners, the BOM, soft hyphens), line and paragraph separators, surrogates, private use, and the
 * fillers that draw as blank (Hangul fillers, the braille blank, the combining grapheme joiner).
 */
const DECEPTIVE_CHARACTER = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Co}\u115f\u1160\u2800\u3164\uffa0]|\u034f/gu;
/** The one honest use of a zero-width joiner in a name: inside an emoji sequence (a woman, U+200D, a laptop). */
const EMOJI_JOINER = /(?<=\p{Extended_Pictographic}\ufe0f?)\u200d(?=\p{Extended_Pictographic})/uy;

const CHARACTER_NAMES: Readonly<Record<number, string>> = {
  8203: 'ZERO WIDTH SPACE',
  8204: 'ZERO WIDTH NON-JOINER',
  8205: 'ZERO WIDTH JOINER',
  8206: 'LEFT-TO-RIGHT MARK',
  8207: 'RIGHT-TO-LEFT MARK',
  8234: 'LEFT-TO-RIGHT EMBEDDING',
  8235: 'RIGHT-TO-LEFT EMBEDDING',
  8236: 'POP DIRECTIONAL FORMATTING',
  8237: 'LEFT-TO-RIGHT OVERRIDE',
  8238: 'RIGHT-TO-LEFT OVERRIDE',
  8294: 'LEFT-TO-RIGHT ISOLATE',
  8295: 'RIGHT-TO-LEFT ISOLATE',
  8296: 'FIRST STRONG ISOLATE',
  8297: 'POP DIRECTIONAL ISOLATE',
  8288: 'WORD JOINER',
  65279: 'ZERO WIDTH NO-BREAK SPACE',
  173: 'SOFT HYPHEN',
};

/** Why `text` would not display as what it is, or undefined when it would. */
export function deceptiveTextProblem(text: string): string | undefined {
  const found = [...text.matchAll(DECEPTIVE_CHARACTER)].find((match) => {
    EMOJI_JOINER.lastIndex = match.index;
    return !EMOJI_JOINER.test(text);
  });
  if (found) {
    const code = found[0].codePointAt(0) ?? 0;
    const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    const name = CHARACTER_NAMES[code];
    const position = [...text.slice(0, found.index)].length + 1;
    return `must not contain control, bidi or invisible characters: found ${hex}${name ? ` ${name}` : ''} at character ${position}`;
  }
  if (!/[^\s]/u.test(text)) return 'must contain a visible character';
  if (text !== text.trim()) return 'must not start or end with whitespace';
  return undefined;
}

/** A name shown on the board or the site (a model name, a team's display name, a category). */
export function displayName(maxLength: number) {
  return z
    .string()
    .min(1)
    .max(maxLength)
    .superRefine((text, context) => {
      const problem = deceptiveTextProblem(text);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    });
}

/** The model name a team submits under, shown on the board. */
export const ModelName = displayName(128);

/** A question's category: shown as a tab on the site, and one segment of its board's file name. */
export const QuestionCategory = displayName(64).refine(
  (category) => !/[/\\%]/.test(category) && category !== '.' && category !== '..',
  'must not contain "/", "\\" or "%", nor be "." or ".."',
);
