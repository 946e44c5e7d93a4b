/**
 * `npm start`: the whole League on one machine. The real Lambda handlers and AWS SDK clients run
 * against the local S3, SQS, Lambda, Cognito and Converse emulators; state persists in
 * `.league-local/` (`--reset` wipes it). Ctrl-C stops everything.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { describeJudge, type LocalJudgeChoice, type Stack, startStack } from './stack.js';

const USAGE = `usage: npm start -- [--reset] [--port 8080] [--participant-port 8081] [--s3-port 4569]
                    [--cognito-port 9329] [--data-dir .league-local] [--verbose]
                    [--judge emulator|bedrock|openai] [--judge-model ID] [--judge-region R]
                    [--judge-url URL]

  --judge emulator   the local Converse emulator (default; a heuristic, not an LLM)
  --judge bedrock    Amazon Bedrock with your AWS credentials: --judge-model (a model or inference
                     profile id) and --judge-region (default us-east-1)
  --judge openai     an OpenAI-compatible server: --judge-url (e.g. http://127.0.0.1:11434/v1) and
                     --judge-model; an API key, if it needs one, in LEAGUE_JUDGE_API_KEY`;

function usageError(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function parseFlags() {
  try {
    return parseArgs({
      options: {
        reset: { type: 'boolean', default: false },
        port: { type: 'string', default: '8080' },
        'participant-port': { type: 'string', default: '8081' },
        's3-port': { type: 'string', default: '4569' },
        'cognito-port': { type: 'string', default: '9329' },
        'data-dir': { type: 'string', default: '.league-local' },
        verbose: { type: 'boolean', default: false },
        judge: { type: 'string', default: 'emulator' },
        'judge-model': { type: 'string' },
        'judge-region': { type: 'string', default: 'us-east-1' },
        'judge-url': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    });
  } catch (error) {
    return usageError((error as Error).message);
  }
}
const { values } = parseFlags();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

function port(flag: 'port' | 'participant-port' | 's3-port' | 'cognito-port'): number {
  const value = Number(values[flag]);
  if (
    !Number.isInteger(value) ||
    value < 0 ||
    value > 65_535 ||
    (flag === 'cognito-port' && value === 9229)
  ) {
    usageError(`--${flag} must be a port number (not 9229, the Node inspector's), not ${values[flag]}`);
  }
  return value;
}
const ports = {
  gateway: port('port'),
  participant: port('participant-port'),
  s3: port('s3-port'),
  cognito: port('cognito-port'),
};
function judgeChoice(): LocalJudgeChoice {
  const model = values['judge-model'];
  switch (values.judge) {
    case 'emulator':
      return { provider: 'emulator' };
    case 'bedrock':
      if (!model) usageError('--judge bedrock needs --judge-model (a Bedrock model or inference profile id)');
      return { provider: 'bedrock', modelId: model, region: values['judge-region'] };
    case 'openai': {
      const url = values['judge-url'];
      if (!url || !URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol))
        usageError(
          "--judge openai needs --judge-url, the server's http(s) base URL (e.g. http://127.0.0.1:11434/v1)",
        );
      if (!model) usageError('--judge openai needs --judge-model, the model name the server knows');
      const apiKey = process.env.LEAGUE_JUDGE_API_KEY;
      return { provider: 'openai', baseUrl: url, modelId: model, ...(apiKey ? { apiKey } : {}) };
    }
    default:
      return usageError(`--judge must be emulator, bedrock or openai, not ${values.judge}`);
  }
}
const judge = judgeChoice();

// The handlers' JSON logs (Powertools) only from warnings up, unless asked.
process.env.POWERTOOLS_LOG_LEVEL ??= values.verbose ? 'INFO' : 'WARN';

const started = Date.now();
const dataDir = resolve(values['data-dir']);
// --reset deletes the data directory: only one this stack made (it holds stack.json), or an empty one.
if (
  values.reset &&
  existsSync(dataDir) &&
  !existsSync(join(dataDir, 'stack.json')) &&
  readdirSync(dataDir).length > 0
) {
  usageError(`--reset refuses to delete ${dataDir}: it is not empty and not a local League's data directory`);
}
const log = (line: string) => console.log(`  ${line}`);
console.log(`Starting the local League (data in ${dataDir}${values.reset ? ', reset' : ''})…`);

let stack: Stack;
try {
  stack = await startStack({
    dataDir,
    reset: values.reset,
    gatewayPort: ports.gateway,
    participantPort: ports.participant,
    s3Port: ports.s3,
    cognitoPort: ports.cognito,
    log,
    judge,
  });
} catch (error) {
  const { code, port: busy } = error as { code?: string; port?: number };
  if (code === 'EADDRINUSE') {
    console.error(
      `port ${busy ?? ''} is in use (another \`npm start\`?): stop it, or choose other ports (--port, --participant-port, --s3-port, --cognito-port; 0 = any free port)`,
    );
  } else {
    console.error('the local League did not start:', error);
  }
  process.exit(1);
}

let stopping = false;
const stop = (signal: string) => {
  if (stopping) {
    // A second Ctrl-C: do not wait for the orderly stop.
    console.log(`\n${signal} again: exiting now.`);
    process.exit(130);
  }
  stopping = true;
  console.log(`\n${signal}: stopping the local League…`);
  stack.stop().then(
    () => {
      console.log('stopped.');
      process.exit(0);
    },
    (error: unknown) => {
      console.error('stopping failed:', error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));

console.log(`
  Leaderboard site    ${stack.siteUrl}/
  Participant app     ${stack.participantAppUrl}/   (your team's web app)
  Participant API     ${stack.participantApiUrl}
  Judge API           ${stack.judgeApiUrl}   (IAM: SigV4 as a SubmitterRole session)
  Leaderboard API     ${stack.leaderboardApiUrl}   (IAM admin: key local-organiser)
  S3                  ${stack.s3Endpoint}
  Cognito             ${stack.cognitoEndpoint}  (pool ${stack.pool.userPoolId}, client ${stack.pool.clientId})

  Judge               ${describeJudge(judge)}

  Demo participant    ${stack.demoUser.email} / ${stack.demoUser.password}  (team your-team)

  Daily snapshot      npm run league -- snapshot --local   (rank changes since the last one)
`);
try {
  await stack.seeded;
  console.log(
    `ready in ${((Date.now() - started) / 1000).toFixed(1)} s (the demo results are judged in the background; Ctrl-C to stop)`,
  );
} catch (error) {
  console.error('seeding the demo data failed:', error);
}
