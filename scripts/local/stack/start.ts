/**
 * `npm start`: the whole League on one machine. The real Lambda handlers and AWS SDK clients run
 * against the local S3, SQS, Lambda, Cognito and Converse emulators; state persists in
 * `.league-local/` (`--reset` wipes it). Ctrl-C stops everything.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startStack } from './stack.js';

const S3_PORT = 4569;
const COGNITO_PORT = 9329;

const { values } = parseArgs({
  options: {
    reset: { type: 'boolean', default: false },
    port: { type: 'string', default: '8080' },
    'data-dir': { type: 'string', default: '.league-local' },
  },
  strict: true,
});
const gatewayPort = Number(values.port);
if (!Number.isInteger(gatewayPort) || gatewayPort < 0 || gatewayPort > 65_535) {
  console.error(`--port must be a port number, not ${values.port}`);
  process.exit(2);
}

const started = Date.now();
const dataDir = resolve(values['data-dir']);
const log = (line: string) => console.log(`  ${line}`);
console.log(`Starting the local League (data in ${dataDir}${values.reset ? ', reset' : ''})…`);

const stack = await startStack({
  dataDir,
  reset: values.reset,
  gatewayPort,
  s3Port: S3_PORT,
  cognitoPort: COGNITO_PORT,
  log,
});

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
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
  Participant API     ${stack.participantApiUrl}
  S3                  ${stack.s3Endpoint}
  Cognito             ${stack.cognitoEndpoint}  (pool ${stack.pool.userPoolId}, client ${stack.pool.clientId})

  Demo participant    ${stack.demoUser.email} / ${stack.demoUser.password}  (team your-team)
`);
try {
  await stack.seeded;
  console.log(
    `ready in ${((Date.now() - started) / 1000).toFixed(1)} s (the demo results are judged in the background; Ctrl-C to stop)`,
  );
} catch (error) {
  console.error('seeding the demo data failed:', error);
}
