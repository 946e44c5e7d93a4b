/**
 * Starts the Bedrock-Converse-compatible judge emulator (a reference-overlap heuristic, not an LLM)
 * from flags or BEDROCK_EMULATOR_* variables, prints its URL and runs until SIGINT or SIGTERM.
 *
 *   npx tsx scripts/emulators/bedrock-converse/main.ts --port 8788 --questions questions.jsonl
 */
import { emulatorOptionsFromCli, readCliSettings, USAGE } from './cli-options.js';
import { startBedrockEmulator } from './server.js';

async function main(): Promise<number> {
  const { help, settings } = readCliSettings(process.argv.slice(2), process.env);
  if (help) {
    console.log(USAGE);
    return 0;
  }
  const emulator = await startBedrockEmulator(await emulatorOptionsFromCli(settings));
  console.log(
    `Bedrock Converse judge emulator (reference-overlap heuristic, not an LLM) listening on ${emulator.url}`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await emulator.close();
  console.log(`stopped; ${JSON.stringify(emulator.stats())}`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    console.error(USAGE);
    process.exitCode = 2;
  },
);
