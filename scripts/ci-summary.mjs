// Prints "N passed, N failed" from vitest's JSON report (CI reads this line, not vitest's own summary).
// Exits 1 when the report is missing, a test failed, a suite failed to load, or no test ran.
import { existsSync, readFileSync } from 'node:fs';

const path = process.argv[2] ?? '.vitest-results.json';
if (!existsSync(path)) {
  console.log('vitest wrote no JSON report');
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const report = JSON.parse(readFileSync(path, 'utf8'));
const passed = report.numPassedTests ?? 0;
const failedTests = report.numFailedTests ?? 0;
// A test file that fails to load has no failed test but a failed suite: count it as a failure.
const brokenFiles = (report.testResults ?? []).filter(
  (file) => file.status === 'failed' && (file.assertionResults ?? []).every((t) => t.status !== 'failed'),
).length;
const failed = failedTests + brokenFiles;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
