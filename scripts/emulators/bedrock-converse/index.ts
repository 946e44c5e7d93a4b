/**
 * A Bedrock-Converse-compatible judge emulator for the local stack and tests. Its judge is a
 * deterministic reference-overlap heuristic, not an LLM; see README.md.
 */
export type { LatencyDistribution, ResolvedEmulatorOptions } from './options.js';
export { EmulatorOptions } from './options.js';
export {
  coherenceScore,
  questionCoverageScore,
  referenceOverlapScore,
  referenceOverlapScores,
  referenceOverlapVerdict,
  verdictFromScores,
} from './reference-overlap.js';
export type { EmulatorStats, RunningEmulator } from './server.js';
export { startBedrockEmulator } from './server.js';
