import { describe, expect, it } from 'vitest';
import { answerStyle } from './answer-style.js';

describe('answerStyle', () => {
  it('counts ATX headers, list items of every marker and bold spans', () => {
    const text = [
      '# Title',
      '## Part',
      'Not#a header',
      '- one',
      '* two',
      '+ three',
      '1. four',
      '2) five',
      'Some **bold** and __also bold__ text, 3 * 4 = 12.',
      '---',
    ].join('\n');
    expect(answerStyle(text)).toEqual({
      chars: [...text].length,
      headers: 2,
      listItems: 5,
      bold: 2,
      codeBlocks: 0,
    });
  });

  it('does not count headers, lists or bold inside fenced code blocks', () => {
    const text = [
      'Intro',
      '```python',
      '# a comment',
      '- not a list',
      '**x**',
      '```',
      '~~~',
      '# still code',
      '~~~',
      '# Real',
    ].join('\n');
    const style = answerStyle(text);
    expect(style.codeBlocks).toBe(2);
    expect(style.headers).toBe(1);
    expect(style.listItems).toBe(0);
    expect(style.bold).toBe(0);
  });

  it('treats an unclosed fence as code to the end', () => {
    expect(answerStyle('```\n# x\n- y').headers).toBe(0);
  });
});
