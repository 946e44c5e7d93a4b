/**
 * Style features of an answer's text, the covariates of LMArena's style control: length and counts
 * of Markdown elements. Counted line by line; lines inside fenced code blocks count only as length.
 */
export interface AnswerStyle {
  readonly chars: number;
  readonly headers: number;
  readonly listItems: number;
  readonly bold: number;
  readonly codeBlocks: number;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const HEADER = /^ {0,3}#{1,6}(\s|$)/;
const LIST_ITEM = /^\s*([-*+]|\d{1,9}[.)])\s+\S/;
const BOLD = /\*\*(?=\S)[^*]*?\S\*\*|__(?=\S)[^_]*?\S__/g;

export function answerStyle(text: string): AnswerStyle {
  let headers = 0;
  let listItems = 0;
  let bold = 0;
  let codeBlocks = 0;
  let fence: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const opening = FENCE.exec(line);
    if (fence !== undefined) {
      // A fence closes on a run of the same character at least as long as the opening one.
      if (opening?.[1]?.[0] === fence[0] && (opening?.[1]?.length ?? 0) >= fence.length) fence = undefined;
      continue;
    }
    if (opening?.[1]) {
      fence = opening[1];
      codeBlocks += 1;
      continue;
    }
    if (HEADER.test(line)) headers += 1;
    else if (/^\s*([-*_]\s*){3,}$/.test(line))
      continue; // a thematic break, not a list item
    else if (LIST_ITEM.test(line)) listItems += 1;
    bold += (line.match(BOLD) ?? []).length;
  }
  return { chars: [...text].length, headers, listItems, bold, codeBlocks };
}
