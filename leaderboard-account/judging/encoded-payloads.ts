/**
 * Finds text hidden in an answer by a common encoding (base64, hex, ROT13, Morse...), so the injection
 * detector can also check what a judge model would read once it decodes the answer. Pure and synchronous.
 *
 * Every decoder is deliberately strict about what it reports: a payload must read as natural-language
 * text (`isReadableText`), so hashes, UUIDs, tokens and ordinary words, which decode to noise, stay silent.
 * Hand-written because no maintained library searches free text for encoded runs; decoding itself uses
 * Node's Buffer, isUtf8 and TextDecoder.
 */

import { isUtf8 } from 'node:buffer';

export interface EncodedPayload {
  /**
   * 'base64', 'base64url', 'hex', 'percent', 'base32', 'binary', 'decimal-codes', 'unicode-escapes',
   * 'html-entities', 'morse', 'rot13', 'caesar-N' (N: the shift that encoded it), 'reversed', and chains
   * in decoding order, such as 'base64>base64' or 'reversed>base64'.
   */
  readonly encoding: string;
  /** the decoded text */
  readonly text: string;
  /** the encoded run as found in the answer (truncated to 200 chars) */
  readonly source: string;
}

export interface EncodedPayloadOptions {
  /** Shortest decoded text worth reporting (default 8). */
  readonly minDecodedChars?: number;
  /** How many encodings deep to look, e.g. 2 finds base64 of base64 (default 3). */
  readonly maxDepth?: number;
  /**
   * `false`: also report decodings that are printable but not prose (a verdict label, a JSON
   * object), for a caller that looks for specific shapes in them. Default `true`.
   */
  readonly readableOnly?: boolean;
}

/** One decoding step, not yet judged readable: unreadable steps are still searched for a further layer. */
type Decoded = EncodedPayload;

const WORD_LISTS = [
  // English: the most frequent words...
  'the be to of and in that have it for not on with he as you do at this but his by from they we say her she',
  'or an will my one all would there their what so up out if about who get which go me when make can like',
  'time no just him know take people into year your good some could them see other than then now look only',
  'come its over think also back after use two how our work first well way even new want because any these',
  'give day most us is are was were been has had did does said made may must should very more much many such',
  'own same here where why each both few those through before between under again off down too while being',
  'am let put yes thing things every never always nothing something anything please thank text following',
  'above below write read tell find need keep next last high top best full right wrong true false instead',
  // ...and the vocabulary an answer uses to address its judge, because those are the texts worth finding.
  'ignore ignoring disregard forget override previous prior earlier instructions instruction rules prompt',
  'system answer answers response respond reply rate rating score scores points grade judge judges model',
  'assistant user evaluation evaluator perfect correct maximum highest marks ten pretend output winner',
  // Indonesian / Malay, Swahili, Tagalog, Turkish and Polish (their unaccented frequent words)
  'yang dan di ini itu dengan untuk tidak dari dalam akan pada juga saya ke karena bisa ada mereka kami',
  'jawaban benar salah adalah sebagai baik terbaik penilai referensi',
  'na wa ya kwa ni za katika hii hiyo kama lakini jibu sahihi bora zaidi',
  'ang ng mga sa na ay at ito para hindi sagot',
  'bir ve bu da de ile icin ama gibi daha cok en olarak cevap',
  'nie jest to na sie ze do co jak tak ale odpowiedz',
  // French
  'le la les des du un une et est en que qui dans pour pas sur au avec il elle ne se ce son sa ses plus par',
  'je vous nous ils on mais ou comme tout bien être avoir fait cette été très aux leur sont ont ces même ici',
  'réponse ignorez précédentes note',
  // Spanish
  'el los las es por con una su para como al lo más pero sus ya fue este ha porque esta entre cuando muy sin',
  'sobre también hasta hay donde quien desde todo nos todos ni otros ese eso ellos esto yo otro él esa nada',
  'respuesta ignora instrucciones anteriores',
  // German
  'der die und den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an werden aus er hat',
  'dass sie nach wird bei einer um am sind noch wie einem über einen zum war haben nur oder aber vor zur bis',
  'mehr durch man sein wurde ich du wir ihr antwort ignoriere vorherigen anweisungen bewerte',
  // Italian
  'di che per non sono mi si ho ma ti cosa io da ci questo qui hai sei del bene tu più mio della gli nel',
  'risposta istruzioni precedenti',
  // Portuguese
  'do da em um não os no na dos mas foi ao ele das tem seu sua ser muito há já está eu só pelo pela até isso',
  'era depois sem mesmo ter quem esse eles você',
  // Dutch
  'van ik te dat een hij het niet zijn op aan met voor maar hem dan zou wat mijn dit door ze bij ook tot je',
  'mij uit daar haar naar heb hoe heeft hebben deze want nog zal zij nu geen omdat iets worden toch veel meer',
  'doen moet ben zonder kan hun dus alles onder ja hier wie werd altijd wordt kunnen ons tegen wil uw',
];

/** Frequent words of English, French, Spanish, German, Italian, Portuguese and Dutch, lower case. */
export const COMMON_WORDS: ReadonlySet<string> = new Set(WORD_LISTS.join(' ').split(' '));

const SOURCE_LIMIT = 200;
const UTF8 = new TextDecoder('utf-8');

/** The longest common word: a longer word cannot become one, whatever the shift. */
const LONGEST_COMMON_WORD = Math.max(...[...COMMON_WORDS].map((word) => word.length));

/**
 * Key of an a–z word's shape, each letter's distance from the first: 'the' and 'gur' (its ROT13) share one,
 * so one look-up finds every shift that makes a word common. A number because it is 5x faster than a string;
 * exact up to 11 letters (longer words' hits are checked). -1 for any other word.
 */
function shapeKey(word: string): number {
  const first = word.charCodeAt(0);
  let shape = 0;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c < 97 || c > 122) return -1;
    if (i < 11) shape = shape * 26 + ((c - first + 26) % 26);
  }
  return shape * 16 + Math.min(word.length, 15);
}

const FIRST_LETTERS_BY_SHAPE = new Map<number, number[]>();
for (const word of COMMON_WORDS) {
  const key = shapeKey(word);
  if (key >= 0)
    FIRST_LETTERS_BY_SHAPE.set(key, [...(FIRST_LETTERS_BY_SHAPE.get(key) ?? []), word.charCodeAt(0)]);
}

/** All but the scripts written without spaces between words, where each character stands in for a word. */
const NOT_UNSPACED =
  /[^\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}]+/gu;
const LATIN_WORD = /[A-Za-z\u00C0-\u024F]{2,}/g;

/** Control characters other than tab and line breaks, private use, unpaired surrogates, U+FFFD. */
const UNPRINTABLE = /[^\P{Cc}\t\n\r]|[\p{Co}\p{Cs}\uFFFD]/u;
const isPrintable = (text: string) => !UNPRINTABLE.test(text);

/**
 * Whether a decoded string reads as natural-language text in any script: mostly letters, at least two
 * words, at most 30% punctuation (so JSON is not prose), no control characters, words not spelt like noise.
 */
export function isReadableText(text: string): boolean {
  if (!isPrintable(text)) return false;
  // Counted as what is left after deleting everything else: no match arrays as long as the text.
  const keep = (others: RegExp) => text.replace(others, '').length;
  const nonSpace = keep(/\s+/g);
  const letters = keep(/[^\p{L}\p{M}]+/gu);
  const punctuation = nonSpace - letters - keep(/\P{N}+/gu);
  if (nonSpace === 0 || punctuation > 0.3 * nonSpace || letters < 0.5 * nonSpace) return false;
  const tokens = text.split(/\s+/).filter((token) => token.length > 0);
  const words = tokens.filter((token) => /[\p{L}\p{M}][^\p{L}\p{M}]*[\p{L}\p{M}]/u.test(token));
  const unspaced = keep(NOT_UNSPACED);
  // Words are not spelt like 'SGVsbG8gd29y' or 'x9Fq': that is what random bytes and keys look like.
  const oddWords = words.filter((word) =>
    /\p{Ll}\p{Lu}|\p{L}\p{N}|\p{N}\p{L}|\p{Lu}{2}\p{Ll}{2}/u.test(word),
  );
  if (Math.max(words.length, unspaced) < 2 || oddWords.length * 3 > words.length) return false;
  // Long unbroken tokens are identifiers or encodings, not prose.
  return (nonSpace - unspaced) / tokens.length <= 24;
}

function bytesToText(bytes: Uint8Array): string | undefined {
  // Checked first because a decoder throwing on every random token costs more than all the rest.
  if (bytes.length === 0 || !isUtf8(bytes)) return undefined;
  const text = UTF8.decode(bytes);
  return isPrintable(text) ? text : undefined;
}

// --- base64, base64url, base32, hex: all found among the same tokens, in one pass ---------------

const BASE64_TOKEN = /[A-Za-z0-9+/_-]+=*/g;

function base64Text(body: string): string | undefined {
  const clean = body.replace(/=+$/, '');
  if (clean.length < 11 || clean.length % 4 === 1 || (/[-_]/.test(clean) && /[+/]/.test(clean)))
    return undefined;
  // Cheap and exact: these first characters make the first byte a control or a UTF-8 continuation byte.
  if (/^[ABEFGHg-v+/_-]/.test(clean)) return undefined;
  return bytesToText(Buffer.from(clean, 'base64'));
}

function base32Text(body: string): string | undefined {
  const clean = body.replace(/=+$/, '');
  if (![0, 2, 4, 5, 7].includes(clean.length % 8)) return undefined;
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of clean) {
    value = ((value << 5) | 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.indexOf(ch)) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((value >> bits) & 0xff);
    }
  }
  return bytesToText(Uint8Array.from(bytes));
}

function hexText(source: string): string | undefined {
  const digits = source.replace(/0x|\\x|[^0-9a-fA-F]/g, '');
  return digits.length % 2 === 0 ? bytesToText(Buffer.from(digits, 'hex')) : undefined;
}

/** Joins the lines of wrapped base64 (MIME wraps at 76, PEM at 64): a full line is a multiple of 4 long. */
function tokenRuns(text: string): { lines: string[]; source: string }[] {
  const runs: { lines: string[]; source: string }[] = [];
  let lines: string[] = [];
  let start = 0;
  let end = 0;
  let length = 0;
  for (const match of text.matchAll(BASE64_TOKEN)) {
    const token = match[0];
    const last = lines[lines.length - 1];
    const wraps = last !== undefined && last.length >= 16 && last.length % 4 === 0 && !last.endsWith('=');
    if (wraps && /^\s+$/.test(text.slice(end, match.index))) {
      lines.push(token);
      length += token.length;
    } else {
      if (length >= 12) runs.push({ lines, source: text.slice(start, end) });
      lines = [token];
      length = token.length;
      start = match.index;
    }
    end = match.index + token.length;
  }
  if (length >= 12) runs.push({ lines, source: text.slice(start, end) });
  return runs;
}

function decodeTokens(text: string): Decoded[] {
  const found: Decoded[] = [];
  const add = (encoding: string, decoded: string | undefined, source: string) => {
    if (decoded !== undefined) found.push({ encoding, text: decoded, source });
  };
  const base64Name = (run: string) => (/[-_]/.test(run) ? 'base64url' : 'base64');
  for (const { lines, source } of tokenRuns(text)) {
    // Joining may have swallowed the ordinary word after the last line, so the run is tried without it too.
    const whole = lines.length > 1 ? base64Text(lines.join('')) : undefined;
    const head =
      whole === undefined && lines.length > 2 ? base64Text(lines.slice(0, -1).join('')) : undefined;
    add(base64Name(source), whole ?? head, source);
    const consumed = whole !== undefined ? lines.length : head !== undefined ? lines.length - 1 : 0;
    // Other tokens are read on their own: a run may just be a long word followed by an encoded one.
    lines.slice(consumed).forEach((token) => {
      const forward = base64Text(token);
      add(base64Name(token), forward, token);
      if (forward === undefined || !isReadableText(forward)) {
        add(`reversed>${base64Name(token)}`, base64Text(reverse(token)), token);
      }
      add('base32', /^[A-Z2-7]{16,}=*$/.test(token) ? base32Text(token) : undefined, token);
      for (const piece of token.split(/[+/_-]/)) {
        add('hex', /^(?:0x)?[0-9a-fA-F]{16,}$/.test(piece) ? hexText(piece) : undefined, piece);
      }
    });
  }
  return found;
}

type Decoder = (text: string) => Decoded[];

/** A decoder that turns each match of `pattern` into text with `decode`. */
function byPattern(encoding: string, pattern: RegExp, decode: (run: string) => string | undefined): Decoder {
  return (text) =>
    [...text.matchAll(pattern)].flatMap(([source]) => {
      const decoded = decode(source);
      return decoded === undefined ? [] : [{ encoding, text: decoded, source }];
    });
}

/** Code points as text; undefined for control characters, surrogates and numbers out of range. */
function codePointsText(codes: readonly number[]): string | undefined {
  const usable = (c: number) =>
    [9, 10, 13].includes(c) || (c >= 32 && c <= 126) || (c >= 160 && c <= 0x10ffff);
  if (!codes.every(usable)) return undefined;
  const text = codes.map((code) => String.fromCodePoint(code)).join('');
  return isPrintable(text) ? text : undefined;
}

const numbersIn = (run: string, pattern: RegExp, radix: number) =>
  (run.match(pattern) ?? []).map((digits) => Number.parseInt(digits, radix));

const decodeHexBytes = byPattern(
  'hex',
  /(?:\\x|\b(?:0x)?)[0-9a-fA-F]{2}(?:(?:\\x|(?:[ \t]*[,:][ \t]*|[ \t]+)(?:0x|\\x)?)[0-9a-fA-F]{2}){3,}\b/g,
  hexText,
);

/**
 * A hex dump (`xxd`, `hexdump -C`, `od -x`-like): lines of an offset and hex groups, with or without
 * the ASCII column. The bytes of every line are joined and read as one text.
 */
function decodeHexdump(text: string): Decoded[] {
  const found: Decoded[] = [];
  const line =
    /^[ \t]*[0-9a-fA-F]{4,8}:?[ \t]+((?:[0-9a-fA-F]{2,4}[ \t]{1,2}){1,16}[0-9a-fA-F]{2,4})(?:[ \t]{2,}.*|[ \t]*\|.*\|)?[ \t]*$/gm;
  let run: string[] = [];
  let start = -1;
  let end = -1;
  const flush = () => {
    if (run.length >= 2) {
      const decoded = hexText(run.join(''));
      if (decoded !== undefined)
        found.push({ encoding: 'hexdump', text: decoded, source: text.slice(start, end) });
    }
    run = [];
  };
  for (const match of text.matchAll(line)) {
    if (run.length > 0 && !/^\r?\n$/.test(text.slice(end, match.index))) flush();
    if (run.length === 0) start = match.index;
    run.push(match[1] ?? '');
    end = match.index + match[0].length;
  }
  flush();
  return found;
}

const decodeBinary = byPattern('binary', /(?<!\d)[01]{8}(?:(?:[ \t]*,[ \t]*|\s+)[01]{8}){3,}(?!\d)/g, (run) =>
  bytesToText(Uint8Array.from(numbersIn(run, /[01]{8}/g, 2))),
);

const decodeDecimal = byPattern(
  'decimal-codes',
  /(?<![\d.])\d{1,7}(?:(?:[ \t]*,[ \t]*|[ \t]+)\d{1,7}){3,}(?!\.?\d)/g,
  (run) => codePointsText(numbersIn(run, /\d+/g, 10)),
);

const decodeEntities = byPattern('html-entities', /(?:&#(?:\d{1,7}|[xX][0-9a-fA-F]{1,6});?){4,}/g, (run) =>
  codePointsText(
    (run.match(/&#x?[0-9a-f]+/gi) ?? []).map((entity) => Number(entity.slice(2).replace(/^x/i, '0x'))),
  ),
);

const decodeEscapes = byPattern(
  'unicode-escapes',
  /(?:\\u\{[0-9a-fA-F]{1,6}\}|\\u[0-9a-fA-F]{4}|\\x[0-9a-fA-F]{2}){4,}/g,
  (run) => {
    // Nothing but \x escapes is how C and Python spell UTF-8 bytes; otherwise they are JS escapes.
    if (!run.includes('\\u')) return bytesToText(Uint8Array.from(numbersIn(run, /[0-9a-f]{2}/gi, 16)));
    const text = (run.match(/\\u\{[0-9a-f]+\}|\\[ux][0-9a-f]+/gi) ?? [])
      .map((unit) => {
        const value = Number.parseInt(unit.replace(/^\\[ux]\{?|\}$/g, ''), 16);
        if (!unit.startsWith('\\u{')) return String.fromCharCode(value);
        return value <= 0x10ffff ? String.fromCodePoint(value) : '\uFFFD';
      })
      .join('');
    return isPrintable(text) ? text : undefined;
  },
);

const PERCENT_ESCAPE = /%[0-9A-Fa-f]{2}/g;
const URL_CHAR = /[\w.~!*'()+,;=:/?&@$%-]/;

function decodePercent(text: string): Decoded[] {
  const found: Decoded[] = [];
  let end = 0;
  // Runs are grown by hand around each escape: a regex with a greedy prefix goes quadratic on long words.
  for (const { index } of text.matchAll(PERCENT_ESCAPE)) {
    if (index < end) continue;
    let start = index;
    while (start > end && URL_CHAR.test(text.charAt(start - 1))) start--;
    for (end = index; URL_CHAR.test(text.charAt(end)); ) end++;
    const source = text.slice(start, end);
    if ((source.match(PERCENT_ESCAPE) ?? []).length < 4) continue;
    let decoded: string;
    try {
      decoded = decodeURIComponent(source);
    } catch {
      // Not UTF-8: read the escapes as Latin-1 bytes, as older encoders wrote them.
      decoded = source.replace(PERCENT_ESCAPE, (byte) =>
        String.fromCharCode(Number.parseInt(byte.slice(1), 16)),
      );
    }
    if (isPrintable(decoded)) found.push({ encoding: 'percent', text: decoded, source });
  }
  return found;
}

// --- Morse ------------------------------------------------------------------------------------

const MORSE_CODES = [
  'A.- B-... C-.-. D-.. E. F..-. G--. H.... I.. J.--- K-.- L.-.. M-- N-. O--- P.--. Q--.- R.-. S... T- U..-',
  "V...- W.-- X-..- Y-.-- Z--.. 0----- 1.---- 2..--- 3...-- 4....- 5..... 6-.... 7--... 8---.. 9----. '.----.",
  '..-.-.- ,--..-- ?..--.. !-.-.-- (-.--. )-.--.- &.-... :---... ;-.-.-. =-...- +.-.-. --....- ".-..-. @.--.-.',
].join(' ');
const MORSE = new Map(MORSE_CODES.split(' ').map((entry) => [entry.slice(1), entry.charAt(0).toLowerCase()]));

const decodeMorse = byPattern(
  'morse',
  /(?<!\S)[.·•\-−–_]{1,7}(?:(?:[ \t]+(?:\/[ \t]*)?|\/[ \t]*)[.·•\-−–_]{1,7})+(?!\S)/g,
  (run) => {
    const words = run
      .replace(/[·•]/g, '.')
      .replace(/[−–_]/g, '-')
      .split(/\s*\/\s*|\s{3,}/)
      .map((word) => word.split(/\s+/).map((code) => MORSE.get(code)));
    const letters = words.flat();
    if (letters.length < 4 || letters.includes(undefined)) return undefined;
    // Morse has no case; lower case is how the detector's patterns are written.
    return words.map((word) => word.join('')).join(' ');
  },
);

// --- Caesar shifts and reversed text ------------------------------------------------------------

const PROSE_RUN =
  /[A-Za-z\u00C0-\u024F0-9](?:[A-Za-z\u00C0-\u024F0-9'’]|[ \t,;"()/-]+(?=[A-Za-z\u00C0-\u024F0-9]))*/g;

type Span = { readonly start: number; readonly end: number; readonly key: number };

/** Whether `candidate` common words out of `words` read clearly better than the `original` count. */
function clearlyBetter(candidate: number, original: number, words: number): boolean {
  return candidate >= (words >= 4 ? 3 : 2) && candidate >= 0.4 * words && candidate >= 2 * original + 2;
}

function reverse(text: string): string {
  return Array.from(text).reverse().join('');
}

/** How a run of words reads under its best Caesar shift and reversed; undefined if it is ordinary prose. */
function readRun(words: readonly string[]) {
  const lower = words.map((word) => word.toLowerCase());
  const original = lower.filter((word) => COMMON_WORDS.has(word)).length;
  if (original >= 0.4 * words.length) return undefined;
  const hits = new Array<number>(26).fill(0);
  const longHits = new Array<number>(26).fill(0);
  let backwards = 0;
  let longBackwards = 0;
  let mirrored = 0;
  let longMirrored = 0;
  // Each distinct word counts once: code repeats names ('log', function(log) and one shift of them is common.
  for (const word of new Set(lower)) {
    if (word.length > LONGEST_COMMON_WORD) continue;
    if (COMMON_WORDS.has(atbash(word))) {
      mirrored++;
      if (word.length >= 3) longMirrored++;
    }
    if (COMMON_WORDS.has(word.split('').reverse().join(''))) {
      backwards++;
      // A reversed 2- or 3-letter word is too often another word ('res', 'ser'): it cannot count alone.
      if (word.length >= 4) longBackwards++;
    }
    for (const first of FIRST_LETTERS_BY_SHAPE.get(shapeKey(word)) ?? []) {
      const shift = (first - word.charCodeAt(0) + 26) % 26;
      if (shift === 0 || (word.length > 11 && !COMMON_WORDS.has(shiftLetters(word, shift)))) continue;
      hits[shift] = (hits[shift] ?? 0) + 1;
      if (word.length >= 3) longHits[shift] = (longHits[shift] ?? 0) + 1;
    }
  }
  // ROT13 first, so a tie goes to the shift people actually use.
  let shift = 13;
  for (let s = 1; s < 26; s++) if ((hits[s] ?? 0) > (hits[shift] ?? 0)) shift = s;
  const shiftReads = (longHits[shift] ?? 0) >= 2 && clearlyBetter(hits[shift] ?? 0, original, words.length);
  return {
    shift: shiftReads ? shift : 0,
    reversed: longBackwards >= 1 && clearlyBetter(backwards, original, words.length),
    atbash: longMirrored >= 2 && clearlyBetter(mirrored, original, words.length),
  };
}

/** Joins neighbouring spans of one key, so a hidden paragraph comes out whole rather than by sentence. */
function mergeSpans(text: string, spans: readonly Span[]): Span[] {
  const merged: Span[] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    const gap = last === undefined ? '' : text.slice(last.end, span.start);
    if (last !== undefined && last.key === span.key && gap.length <= 80 && !/\n\s*\n/.test(gap)) {
      merged[merged.length - 1] = { start: last.start, end: span.end, key: span.key };
    } else {
      merged.push(span);
    }
  }
  return merged;
}

/** Atbash: a↔z, b↔y, … (its own inverse). */
function atbash(text: string): string {
  return text.replace(/[A-Za-z]/g, (ch) => {
    const base = ch <= 'Z' ? 65 : 97;
    return String.fromCharCode(base + 25 - (ch.charCodeAt(0) - base));
  });
}

function shiftLetters(text: string, shift: number): string {
  return text.replace(/[A-Za-z]/g, (ch) => {
    const base = ch <= 'Z' ? 65 : 97;
    return String.fromCharCode(base + ((ch.charCodeAt(0) - base + shift) % 26));
  });
}

function decodeProse(text: string): Decoded[] {
  const shifted: Span[] = [];
  const reversed: Span[] = [];
  const mirrored: Span[] = [];
  for (const match of text.matchAll(PROSE_RUN)) {
    const words = match[0].match(LATIN_WORD) ?? [];
    const reading = words.length >= 3 ? readRun(words) : undefined;
    const span = { start: match.index, end: match.index + match[0].length };
    if (reading !== undefined && reading.shift > 0) shifted.push({ ...span, key: reading.shift });
    if (reading?.reversed) reversed.push({ ...span, key: 0 });
    if (reading?.atbash) mirrored.push({ ...span, key: 0 });
  }
  const found: Decoded[] = mergeSpans(text, shifted).map(({ start, end, key }) => {
    const source = text.slice(start, end);
    return { encoding: key === 13 ? 'rot13' : `caesar-${26 - key}`, text: shiftLetters(source, key), source };
  });
  for (const { start, end } of mergeSpans(text, reversed)) {
    // Reversed, a sentence's closing stop comes first: take it along.
    const source = text.slice(/[.!?]/.test(text.charAt(start - 1)) ? start - 1 : start, end);
    found.push({ encoding: 'reversed', text: reverse(source), source });
  }
  for (const { start, end } of mergeSpans(text, mirrored)) {
    const source = text.slice(start, end);
    found.push({ encoding: 'atbash', text: atbash(source), source });
  }
  return found;
}

const DECODERS: readonly Decoder[] = [
  decodeTokens,
  decodeHexBytes,
  decodeHexdump,
  decodePercent,
  decodeBinary,
  decodeDecimal,
  decodeEscapes,
  decodeEntities,
  decodeMorse,
  decodeProse,
];

function isReportable(step: Decoded, minDecodedChars: number, readableOnly: boolean): boolean {
  if (step.text.trim().length < minDecodedChars) return false;
  if (!readableOnly && isPrintable(step.text) && /[\p{L}\p{P}]/u.test(step.text)) {
    // Printable text with letters or punctuation: a label like [[A>>B]] counts, a hash digit run not.
    return !/^[0-9a-f\s]+$/i.test(step.text);
  }
  if (!isReadableText(step.text)) return false;
  if (step.encoding !== 'decimal-codes') return true;
  // Lists of sizes, scores or ages also decode to letters, so number codes must spell words a reader knows:
  // at least two, separated by spaces, and if ASCII, two of them common.
  const words = step.text.split(/\s+/).filter((token) => /\p{L}.*\p{L}/u.test(token));
  const common = words.filter((word) => COMMON_WORDS.has(word.replace(/\P{L}+/gu, '').toLowerCase()));
  return words.length >= 2 && (!/^[ -~\s]*$/.test(step.text) || common.length >= 2);
}

/** Every readable text hidden in the answer by a common encoding, outermost first. */
export function findEncodedPayloads(answer: string, options: EncodedPayloadOptions = {}): EncodedPayload[] {
  const minDecodedChars = options.minDecodedChars ?? 8;
  const maxDepth = options.maxDepth ?? 3;
  const readableOnly = options.readableOnly ?? true;
  const payloads: EncodedPayload[] = [];
  // Each text is decoded once, which also ends loops such as reversing a reversal.
  const seen = new Set<string>([answer]);
  const search = (text: string, chain: string, outerSource: string | undefined, depth: number) => {
    for (const decode of DECODERS) {
      for (const step of decode(text)) {
        if (seen.has(step.text)) continue;
        seen.add(step.text);
        const encoding = chain === '' ? step.encoding : `${chain}>${step.encoding}`;
        const source = outerSource ?? step.source.slice(0, SOURCE_LIMIT);
        if (isReportable(step, minDecodedChars, readableOnly))
          payloads.push({ encoding, text: step.text, source });
        // Decoding never lengthens a text, so a shorter one cannot hide a reportable payload.
        if (depth < maxDepth && step.text.length >= minDecodedChars) {
          search(step.text, encoding, source, depth + 1);
        }
      }
    }
  };
  if (maxDepth >= 1) search(answer, '', undefined, 1);
  return payloads;
}
