import type { LeaderboardResult } from '../../shared/contracts/leaderboard-file.js';
import type { SnapshotMethod } from '../../shared/contracts/snapshot.js';

/** How many results the README shows by default; the full list lives in `leaderboard.json`. */
export const TOP_N = 10;

export const BEGIN_LEADERBOARD = '<!-- BEGIN_LEADERBOARD -->';
export const END_LEADERBOARD = '<!-- END_LEADERBOARD -->';

const BOM = '\uFEFF';

export interface TopTableOptions {
  /** How many rows to show; a positive integer. */
  readonly topN?: number;
  /** Header of the score column, e.g. `Win rate`. */
  readonly scoreLabel?: string;
}

/**
 * Makes text safe inside a Markdown table cell: a `|` would end the cell, a newline the row, and `<`, `>`
 * and `&` could open raw HTML, so a team name cannot inject markup. Backslashes, backticks, emphasis and
 * link brackets are escaped too, so the cell shows the name as written rather than formatted.
 */
export function escapeTableCell(text: string): string {
  return text
    .replace(/\r\n|[\r\n]/g, ' ')
    .replace(/[\\`*_[\]|]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** Win rate (a fraction) as a percentage, rubric means with two decimals, Bradley-Terry as a whole rating. */
export function formatScore(value: number, method: SnapshotMethod): string {
  switch (method) {
    case 'win-rate':
      return `${(value * 100).toFixed(1)}%`;
    case 'rubric':
      return value.toFixed(2);
    case 'bradley-terry':
      return Math.round(value).toFixed(0);
  }
}

/** The UTC calendar date of an ISO date-time, `YYYY-MM-DD`. */
function formatDate(isoDateTime: string): string {
  return new Date(isoDateTime).toISOString().slice(0, 10);
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/**
 * The README's Top-N table. `results` must already be in rank order (see `sortedResults`); the rank shown
 * is the position. Each score is formatted for its own method.
 */
export function renderTopTable(results: readonly LeaderboardResult[], options: TopTableOptions = {}): string {
  const topN = options.topN ?? TOP_N;
  if (!Number.isInteger(topN) || topN < 1) {
    throw new RangeError(`topN must be a positive integer, got ${topN}`);
  }
  const header = row([
    'Rank',
    'Team',
    'Model',
    escapeTableCell(options.scoreLabel ?? 'Score'),
    '95% CI',
    'Evals',
    'Submitted',
  ]);
  const alignment = '|:----:|:-----|:------|------:|:------:|------:|:----------:|';
  const rows =
    results.length === 0
      ? [row(['–', '_No submissions yet_', '–', '–', '–', '–', '–'])]
      : results
          .slice(0, topN)
          .map(({ metadata, summary }, index) =>
            row([
              String(index + 1),
              escapeTableCell(metadata.team),
              escapeTableCell(metadata.model),
              `**${formatScore(summary.score, summary.method)}**`,
              `${formatScore(summary.ciLow, summary.method)} – ${formatScore(summary.ciHigh, summary.method)}`,
              String(summary.nEvals),
              formatDate(metadata.submittedAt),
            ]),
          );
  return [header, alignment, ...rows].join('\n');
}

interface Line {
  /** The line without its terminator. */
  readonly text: string;
  /** `\r\n`, `\n`, or `''` for a last line without one. */
  readonly eol: string;
  /** Offset of the line's first character in the document. */
  readonly start: number;
  readonly insideFence: boolean;
}

/** Splits a document into lines, marking those inside fenced code blocks (CommonMark ``` and ~~~ fences). */
function scanLines(doc: string): Line[] {
  const lines: Line[] = [];
  let fence: { char: string; length: number } | undefined;
  // A byte-order mark is not part of the first line's text: `## Leaderboard` may follow it.
  let start = doc.startsWith(BOM) ? BOM.length : 0;
  while (start < doc.length) {
    const newline = doc.indexOf('\n', start);
    const raw = doc.slice(start, newline === -1 ? doc.length : newline + 1);
    const eol = raw.endsWith('\r\n') ? '\r\n' : raw.endsWith('\n') ? '\n' : '';
    const text = raw.slice(0, raw.length - eol.length);

    const fenceMatch = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(text);
    const run = fenceMatch?.[1];
    const rest = fenceMatch?.[2] ?? '';
    let insideFence = fence !== undefined;
    if (fence === undefined) {
      // A backtick fence's info string may not contain a backtick (CommonMark 4.5).
      if (run !== undefined && !(run.startsWith('`') && rest.includes('`'))) {
        fence = { char: run.charAt(0), length: run.length };
        insideFence = true;
      }
    } else if (
      run !== undefined &&
      run.charAt(0) === fence.char &&
      run.length >= fence.length &&
      rest.trim() === ''
    ) {
      fence = undefined;
    }
    lines.push({ text, eol, start, insideFence });
    start += raw.length;
  }
  return lines;
}

/** Offset just past a line's terminator. */
function lineEnd(line: Line): number {
  return line.start + line.text.length + line.eol.length;
}

/** `## Leaderboard` exactly, with an optional closing `#` sequence and trailing blanks. */
const LEADERBOARD_HEADING = /^## Leaderboard(?:[ \t]+#*)?[ \t]*$/;

/**
 * Puts `table` between the README's leaderboard markers, keeping the markers and every byte outside them.
 *
 * With no markers, inserts markers and table right after the first `## Leaderboard` heading, or at the very
 * top of the file when there is none. Markers and the heading only count outside fenced code blocks, so a
 * README may document them in an example. The table takes the README's line ending (CRLF stays CRLF).
 * Applying it twice gives the same text.
 *
 * Throws, rather than guessing which part to overwrite, when the markers are malformed: one without the
 * other, END before BEGIN, a marker repeated, or a marker sharing its line with other text.
 */
export function replaceLeaderboardSection(readme: string, table: string): string {
  if (table.includes(BEGIN_LEADERBOARD) || table.includes(END_LEADERBOARD)) {
    throw new Error('the leaderboard table must not contain the leaderboard markers');
  }
  const lines = scanLines(readme);
  const eol = lines.find((line) => line.eol !== '')?.eol ?? '\n';
  const tableLines = table.replace(/(\r\n|\n)+$/, '').split(/\r\n|\n/);
  const section = ['', ...tableLines, ''].map((text) => text + eol).join('');

  const begins: { number: number; line: Line }[] = [];
  const ends: { number: number; line: Line }[] = [];
  lines.forEach((line, index) => {
    if (line.insideFence) return;
    for (const [marker, found] of [
      [BEGIN_LEADERBOARD, begins],
      [END_LEADERBOARD, ends],
    ] as const) {
      if (!line.text.includes(marker)) continue;
      if (line.text.trim() !== marker) {
        throw new Error(`README line ${index + 1}: ${marker} must stand on a line of its own`);
      }
      found.push({ number: index + 1, line });
    }
  });

  for (const [marker, found] of [
    [BEGIN_LEADERBOARD, begins],
    [END_LEADERBOARD, ends],
  ] as const) {
    if (found.length > 1) {
      const numbers = found.map((m) => m.number).join(', ');
      throw new Error(`README has ${marker} more than once (lines ${numbers}); keep exactly one pair`);
    }
  }
  const [begin] = begins;
  const [end] = ends;
  if (begin !== undefined && end !== undefined) {
    if (end.number < begin.number) {
      throw new Error(
        `README has ${END_LEADERBOARD} (line ${end.number}) before ${BEGIN_LEADERBOARD} (line ${begin.number})`,
      );
    }
    return readme.slice(0, lineEnd(begin.line)) + section + readme.slice(end.line.start);
  }
  if (begin !== undefined) {
    throw new Error(`README has ${BEGIN_LEADERBOARD} (line ${begin.number}) but no ${END_LEADERBOARD}`);
  }
  if (end !== undefined) {
    throw new Error(`README has ${END_LEADERBOARD} (line ${end.number}) but no ${BEGIN_LEADERBOARD}`);
  }

  const block = `${BEGIN_LEADERBOARD}${eol}${section}${END_LEADERBOARD}${eol}`;
  const heading = lines.find((line) => !line.insideFence && LEADERBOARD_HEADING.test(line.text));
  if (heading === undefined) {
    const bom = readme.startsWith(BOM) ? BOM : '';
    const body = readme.slice(bom.length);
    return bom + block + (body === '' ? '' : eol + body);
  }
  const afterHeading = lineEnd(heading);
  // A heading on the last line has no terminator of its own; give it one before the blank line.
  const headingEnd = heading.eol === '' ? eol : '';
  return readme.slice(0, afterHeading) + headingEnd + eol + block + readme.slice(afterHeading);
}
