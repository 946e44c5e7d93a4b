import { describe, expect, it } from 'vitest';
import type { LeaderboardResult } from '../../shared/contracts/leaderboard-file.js';
import type { SnapshotMethod } from '../../shared/contracts/snapshot.js';
import {
  BEGIN_LEADERBOARD,
  END_LEADERBOARD,
  escapeTableCell,
  formatScore,
  renderTopTable,
  replaceLeaderboardSection,
  TOP_N,
} from './readme-table.js';

function result(
  team: string,
  summary: { score: number; ciLow: number; ciHigh: number; method: SnapshotMethod },
  model = 'qwen-ft',
  submittedAt = '2025-06-01T12:00:00.000Z',
): LeaderboardResult {
  return {
    metadata: { team, model, submissionId: `sub-${team}`, submittedAt },
    summary: { ...summary, nEvals: 250 },
  };
}

const winRate = (team: string, score: number) =>
  result(team, { score, ciLow: score - 0.04, ciHigh: score + 0.04, method: 'win-rate' });

/** The data rows of a rendered table (after the header and alignment rows). */
function dataRows(table: string): string[] {
  return table.split('\n').slice(2);
}

describe('renderTopTable', () => {
  it('renders the header, an alignment row and one row per result in the given order', () => {
    const table = renderTopTable([winRate('team-a', 0.625), winRate('team-b', 0.5)]);
    expect(table.split('\n')).toEqual([
      '| Rank | Team | Model | Score | 95% CI | Evals | Submitted |',
      '|:----:|:-----|:------|------:|:------:|------:|:----------:|',
      '| 1 | team-a | qwen-ft | **62.5%** | 58.5% – 66.5% | 250 | 2025-06-01 |',
      '| 2 | team-b | qwen-ft | **50.0%** | 46.0% – 54.0% | 250 | 2025-06-01 |',
    ]);
  });

  it('formats a rubric score with two decimals and a Bradley-Terry rating as a whole number', () => {
    const table = renderTopTable([
      result('team-a', { score: 7.256, ciLow: 6.9, ciHigh: 7.61, method: 'rubric' }),
      result('team-b', { score: 1012.6, ciLow: 987.4, ciHigh: 1040.5, method: 'bradley-terry' }),
    ]);
    expect(dataRows(table)).toEqual([
      '| 1 | team-a | qwen-ft | **7.26** | 6.90 – 7.61 | 250 | 2025-06-01 |',
      '| 2 | team-b | qwen-ft | **1013** | 987 – 1041 | 250 | 2025-06-01 |',
    ]);
  });

  it('uses the score label it is given as the score column header', () => {
    expect(renderTopTable([], { scoreLabel: 'Win rate' }).split('\n')[0]).toBe(
      '| Rank | Team | Model | Win rate | 95% CI | Evals | Submitted |',
    );
  });

  it('shows the submission date in UTC', () => {
    const late = result(
      'team-a',
      { score: 0.5, ciLow: 0.4, ciHigh: 0.6, method: 'win-rate' },
      'm',
      '2025-06-01T01:00:00+09:00',
    );
    expect(dataRows(renderTopTable([late]))[0]).toContain('| 2025-05-31 |');
  });

  it('shows only the first TOP_N results by default', () => {
    const results = Array.from({ length: TOP_N + 3 }, (_, i) => winRate(`team-${i}`, 0.9 - i * 0.01));
    const rows = dataRows(renderTopTable(results));
    expect(TOP_N).toBe(10);
    expect(rows).toHaveLength(10);
    expect(rows.at(-1)).toMatch(/^\| 10 \| team-9 \|/);
  });

  it('cuts the table at the topN it is given', () => {
    const results = ['a', 'b', 'c', 'd'].map((t) => winRate(`team-${t}`, 0.5));
    const rows = dataRows(renderTopTable(results, { topN: 2 }));
    expect(rows.map((r) => r.split(' | ')[1])).toEqual(['team-a', 'team-b']);
  });

  it.each([[0], [-1], [2.5], [Number.NaN]])('rejects a topN of %s', (topN) => {
    expect(() => renderTopTable([], { topN })).toThrow(RangeError);
  });

  it('says there are no submissions yet when there are no results', () => {
    expect(dataRows(renderTopTable([]))).toEqual(['| – | _No submissions yet_ | – | – | – | – | – |']);
  });

  it('escapes a pipe in a team name so it cannot split the row into extra cells', () => {
    const row = dataRows(renderTopTable([winRate('a | b', 0.5)]))[0] ?? '';
    expect(row).toContain('| a \\| b |');
    // Seven cells: eight unescaped pipes.
    expect(row.match(/(?<!\\)\|/g)).toHaveLength(8);
  });

  it('escapes HTML in a team name so it cannot inject a script', () => {
    const table = renderTopTable([winRate('<script>alert("x")</script>', 0.5)]);
    expect(table).not.toContain('<script>');
    expect(table).toContain('&lt;script&gt;alert("x")&lt;/script&gt;');
  });

  it('flattens newlines in a model name so the row stays one line', () => {
    const entry = result(
      'team-a',
      { score: 0.5, ciLow: 0.4, ciHigh: 0.6, method: 'win-rate' },
      'line1\r\nline2\nline3',
    );
    const rows = dataRows(renderTopTable([entry]));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('| line1 line2 line3 |');
  });
});

describe('escapeTableCell', () => {
  it('escapes Markdown link and emphasis syntax so a name shows as written', () => {
    expect(escapeTableCell('[click](http://x) *bold* `code`')).toBe(
      '\\[click\\](http://x) \\*bold\\* \\`code\\`',
    );
  });

  it('escapes a backslash before a pipe so the pipe escape cannot be cancelled', () => {
    expect(escapeTableCell('a\\|b')).toBe('a\\\\\\|b');
  });

  it('escapes an ampersand so an entity in a name is shown, not decoded', () => {
    expect(escapeTableCell('&lt;b&gt;')).toBe('&amp;lt;b&amp;gt;');
  });
});

describe('formatScore', () => {
  it('rounds a Bradley-Terry rating just below zero without a minus sign', () => {
    expect(formatScore(-0.4, 'bradley-terry')).toBe('0');
  });
});

describe('replaceLeaderboardSection', () => {
  const table = '| Rank |\n|:-:|\n| 1 |';
  const section = `${BEGIN_LEADERBOARD}\n\n${table}\n\n${END_LEADERBOARD}`;

  it('replaces only what lies between the markers, keeping the markers and the text around them', () => {
    const readme = `# League\n\nIntro.\n\n<!-- BEGIN_LEADERBOARD -->\n| old |\n<!-- END_LEADERBOARD -->\n\nFooter.\n`;
    expect(replaceLeaderboardSection(readme, table)).toBe(`# League\n\nIntro.\n\n${section}\n\nFooter.\n`);
  });

  it('keeps indentation or trailing blanks on the marker lines byte for byte', () => {
    const readme = `  ${BEGIN_LEADERBOARD}  \nold\n${END_LEADERBOARD}\t`;
    expect(replaceLeaderboardSection(readme, table)).toBe(
      `  ${BEGIN_LEADERBOARD}  \n\n${table}\n\n${END_LEADERBOARD}\t`,
    );
  });

  it('inserts markers and table right after the Leaderboard heading when there are no markers', () => {
    const readme = '# League\n\n## Leaderboard\n\nUpdated daily.\n\n## Rules\n';
    expect(replaceLeaderboardSection(readme, table)).toBe(
      `# League\n\n## Leaderboard\n\n${section}\n\nUpdated daily.\n\n## Rules\n`,
    );
  });

  it('inserts after a Leaderboard heading on the last line without a newline', () => {
    expect(replaceLeaderboardSection('# League\n## Leaderboard', table)).toBe(
      `# League\n## Leaderboard\n\n${section}\n`,
    );
  });

  it('does not take a longer or differently cased heading for the Leaderboard heading', () => {
    const readme = '## Leaderboards\n## leaderboard\n### Leaderboard\n';
    expect(replaceLeaderboardSection(readme, table)).toBe(`${section}\n\n${readme}`);
  });

  it('inserts at the very top of the file when there is no Leaderboard heading', () => {
    const readme = '# League\n\nIntro.\n';
    expect(replaceLeaderboardSection(readme, table)).toBe(`${section}\n\n# League\n\nIntro.\n`);
  });

  it('inserts after a byte-order mark, not before it', () => {
    expect(replaceLeaderboardSection('\uFEFF# League\n', table)).toBe(`\uFEFF${section}\n\n# League\n`);
  });

  it('fills an empty README with the section alone', () => {
    expect(replaceLeaderboardSection('', table)).toBe(`${section}\n`);
  });

  it('ignores a Leaderboard heading inside a fenced code block', () => {
    const readme = '# League\n\n```md\n## Leaderboard\n```\n\n## Leaderboard\n';
    expect(replaceLeaderboardSection(readme, table)).toBe(
      `# League\n\n\`\`\`md\n## Leaderboard\n\`\`\`\n\n## Leaderboard\n\n${section}\n`,
    );
  });

  it('ignores markers inside a tilde fence and does not close it with a shorter fence', () => {
    const example = `~~~~\n${BEGIN_LEADERBOARD}\n~~~\n${END_LEADERBOARD}\n~~~~\n`;
    const readme = `${example}## Leaderboard\n`;
    expect(replaceLeaderboardSection(readme, table)).toBe(`${example}## Leaderboard\n\n${section}\n`);
  });

  it('treats an unclosed fence as running to the end of the file', () => {
    const readme = `Intro\n\`\`\`\n## Leaderboard\n${BEGIN_LEADERBOARD}\n`;
    expect(replaceLeaderboardSection(readme, table)).toBe(`${section}\n\n${readme}`);
  });

  it('keeps CRLF line endings in a CRLF README, including the inserted table', () => {
    const readme = `# League\r\n\r\n${BEGIN_LEADERBOARD}\r\nold\r\n${END_LEADERBOARD}\r\n\r\nFooter.\r\n`;
    const updated = replaceLeaderboardSection(readme, table);
    expect(updated).toBe(`# League\r\n\r\n${section.replaceAll('\n', '\r\n')}\r\n\r\nFooter.\r\n`);
    expect(updated.replaceAll('\r\n', '')).not.toContain('\n');
  });

  it('uses CRLF when inserting after the heading of a CRLF README', () => {
    const updated = replaceLeaderboardSection('## Leaderboard\r\nText\r\n', `${table}\n`);
    expect(updated).toBe(`## Leaderboard\r\n\r\n${section.replaceAll('\n', '\r\n')}\r\nText\r\n`);
  });

  it.each([
    ['markers present', `A\n${BEGIN_LEADERBOARD}\nold\n${END_LEADERBOARD}\nB\n`],
    ['a heading only', 'A\n## Leaderboard\nB\n'],
    ['no heading', 'A\nB\n'],
    ['CRLF and a heading', 'A\r\n## Leaderboard\r\nB\r\n'],
  ])('gives the same text when applied twice (%s)', (_case, readme) => {
    const once = replaceLeaderboardSection(readme, table);
    expect(replaceLeaderboardSection(once, table)).toBe(once);
  });

  it('replaces an earlier table with a new one', () => {
    const once = replaceLeaderboardSection('## Leaderboard\n', '| old |');
    expect(replaceLeaderboardSection(once, table)).toBe(`## Leaderboard\n\n${section}\n`);
  });

  it('rejects a BEGIN marker without an END marker', () => {
    expect(() => replaceLeaderboardSection(`A\n${BEGIN_LEADERBOARD}\nB\n`, table)).toThrow(
      /BEGIN_LEADERBOARD -->.*line 2.*but no <!-- END_LEADERBOARD/,
    );
  });

  it('rejects an END marker without a BEGIN marker', () => {
    expect(() => replaceLeaderboardSection(`${END_LEADERBOARD}\n`, table)).toThrow(
      /END_LEADERBOARD -->.*line 1.*but no <!-- BEGIN_LEADERBOARD/,
    );
  });

  it('rejects an END marker before the BEGIN marker', () => {
    expect(() => replaceLeaderboardSection(`${END_LEADERBOARD}\nx\n${BEGIN_LEADERBOARD}\n`, table)).toThrow(
      /END_LEADERBOARD --> \(line 1\) before <!-- BEGIN_LEADERBOARD --> \(line 3\)/,
    );
  });

  it.each([
    [
      'BEGIN',
      `${BEGIN_LEADERBOARD}\n${BEGIN_LEADERBOARD}\n${END_LEADERBOARD}\n`,
      /BEGIN.*more than once \(lines 1, 2\)/,
    ],
    [
      'END',
      `${BEGIN_LEADERBOARD}\n${END_LEADERBOARD}\n${END_LEADERBOARD}\n`,
      /END.*more than once \(lines 2, 3\)/,
    ],
    [
      'pair',
      `${BEGIN_LEADERBOARD}\n${END_LEADERBOARD}\n${BEGIN_LEADERBOARD}\n${END_LEADERBOARD}\n`,
      /BEGIN.*more than once \(lines 1, 3\)/,
    ],
  ])('rejects a duplicated %s marker', (_which, readme, message) => {
    expect(() => replaceLeaderboardSection(readme, table)).toThrow(message);
  });

  it('rejects a marker that shares its line with other text', () => {
    expect(() =>
      replaceLeaderboardSection(`Table: ${BEGIN_LEADERBOARD}\nold\n${END_LEADERBOARD}\n`, table),
    ).toThrow(/line 1: <!-- BEGIN_LEADERBOARD --> must stand on a line of its own/);
  });

  it('rejects a table that contains a marker, which would break the next update', () => {
    expect(() => replaceLeaderboardSection('A\n', `| x |\n${END_LEADERBOARD}`)).toThrow(/must not contain/);
  });

  it('puts a rendered table in place so that a README round-trips through two updates', () => {
    const first = renderTopTable([winRate('team-a', 0.6)]);
    const second = renderTopTable([winRate('team-b', 0.7), winRate('team-a', 0.6)]);
    const readme = '# League\n\n## Leaderboard\n\nSee the site.\n';
    const updated = replaceLeaderboardSection(replaceLeaderboardSection(readme, first), second);
    expect(updated).toBe(
      `# League\n\n## Leaderboard\n\n${BEGIN_LEADERBOARD}\n\n${second}\n\n${END_LEADERBOARD}\n\nSee the site.\n`,
    );
  });
});
