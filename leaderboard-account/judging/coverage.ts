/**
 * Results must answer exactly the official question set: every id once, nothing else. What is
 * wrong is listed in full (up to a limit), so a team can fix its file in one go.
 */
export interface CoverageReport {
  readonly ok: boolean;
  readonly missing: string[];
  readonly unexpected: string[];
  readonly duplicated: string[];
}

export function checkCoverage(questionIds: Iterable<string>, resultIds: Iterable<string>): CoverageReport {
  const expected = new Set(questionIds);
  const seen = new Set<string>();
  const unexpected: string[] = [];
  const duplicated = new Set<string>();
  for (const id of resultIds) {
    if (seen.has(id)) duplicated.add(id);
    seen.add(id);
    if (!expected.has(id)) unexpected.push(id);
  }
  const missing = [...expected].filter((id) => !seen.has(id));
  const sorted = (ids: Iterable<string>): string[] => [...new Set(ids)].sort();
  return {
    ok: missing.length === 0 && unexpected.length === 0 && duplicated.size === 0,
    missing: sorted(missing),
    unexpected: sorted(unexpected),
    duplicated: sorted(duplicated),
  };
}

export function describeCoverage(report: CoverageReport, limit = 20): string {
  const list = (ids: string[]): string =>
    `${ids.slice(0, limit).join(', ')}${ids.length > limit ? `, … (${ids.length} in all)` : ''}`;
  const parts: string[] = [];
  if (report.missing.length > 0)
    parts.push(`missing answers for ${report.missing.length} question(s): ${list(report.missing)}`);
  if (report.unexpected.length > 0)
    parts.push(`answers to ${report.unexpected.length} unknown question id(s): ${list(report.unexpected)}`);
  if (report.duplicated.length > 0) parts.push(`more than one answer for: ${list(report.duplicated)}`);
  return parts.join('; ');
}
