/**
 * Data envelopes for judge prompts. Every piece of participant- or organiser-supplied text goes
 * between markers that carry a fresh random nonce per call:
 *
 *   <<<ANSWER A 3f9c…>>>
 *   …text…
 *   <<<END ANSWER A 3f9c…>>>
 *
 * A candidate cannot close its envelope early: it cannot know the nonce, and in any case every run
 * of three or more `<` or `>` inside the data is broken up (`<<<` → `<< <`), so no marker, with any
 * nonce, can appear inside an envelope.
 */

export type Section = 'QUESTION' | 'REFERENCE' | 'ANSWER' | 'ANSWER A' | 'ANSWER B';

export function openMarker(section: Section, nonce: string): string {
  return `<<<${section} ${nonce}>>>`;
}

export function closeMarker(section: Section, nonce: string): string {
  return `<<<END ${section} ${nonce}>>>`;
}

/** Breaks every run of 3+ angle brackets so the data cannot contain a marker. */
export function neutralise(text: string): string {
  return text.replace(/<{3,}|>{3,}/g, (run) => run.split('').join(' '));
}

export function envelope(section: Section, nonce: string, text: string): string {
  return `${openMarker(section, nonce)}\n${neutralise(text)}\n${closeMarker(section, nonce)}`;
}

/** Reads an envelope back out of a prompt (used by the emulator and by tests). */
export function readEnvelope(prompt: string, section: Section): string | undefined {
  const pattern = new RegExp(`<<<${section} ([A-Za-z0-9]+)>>>\\n([\\s\\S]*?)\\n<<<END ${section} \\1>>>`);
  return pattern.exec(prompt)?.[2];
}
