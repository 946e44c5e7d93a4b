import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import * as z from 'zod';
import { EndpointsFile, endpointsFilePath } from '../local/stack/endpoints-file.js';
import { UsageError } from './errors.js';
import type { CommandIo } from './rank-command.js';

export const SNAPSHOT_USAGE = `usage: league snapshot (--local [--data-dir DIR] | --function-name NAME [--region R])

Takes the daily snapshot now, as the 10:00 UTC schedule does: every board as of now, with rank
changes against the previous day's snapshot, published as data/snapshots/YYYY-MM-DD.json. Taking it
again the same day replaces that day's snapshot. It invokes the leaderboard account's daily-snapshot
function, so it needs permission to invoke it (lambda:InvokeFunction).

  --local              the local stack started by \`npm start\` (it must be running)
  --data-dir DIR       the local stack's data directory (default .league-local)
  --function-name N    the deployed function: the stack output DailySnapshotFunctionName
  --region R           its region (default: AWS_REGION)
`;

const SnapshotResult = z.object({ day: z.string(), boards: z.number() });

export async function snapshotCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      local: { type: 'boolean', default: false },
      'data-dir': { type: 'string', default: '.league-local' },
      'function-name': { type: 'string' },
      region: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout.write(SNAPSHOT_USAGE);
    return 0;
  }
  if (values.local === (values['function-name'] !== undefined)) {
    throw new UsageError('say where: --local for the local stack, or --function-name for a deployed league');
  }
  const target = values.local
    ? await localTarget(resolve(values['data-dir']))
    : {
        client: new LambdaClient(values.region ? { region: values.region } : {}),
        functionName: values['function-name'] as string,
      };
  try {
    const time = new Date().toISOString();
    const answer = await target.client.send(
      new InvokeCommand({
        FunctionName: target.functionName,
        // The shape EventBridge's schedule sends; the handler reads its id and time.
        Payload: JSON.stringify({
          version: '0',
          id: randomUUID(),
          'detail-type': 'Scheduled Event',
          source: 'league.cli',
          time,
          region: values.region ?? 'local',
          resources: [],
          detail: {},
        }),
      }),
    );
    const payload = answer.Payload ? new TextDecoder().decode(answer.Payload) : '';
    if (answer.FunctionError) {
      io.stderr.write(`league: the snapshot failed: ${payload}\n`);
      return 1;
    }
    const result = SnapshotResult.parse(JSON.parse(payload));
    io.stdout.write(
      `snapshot ${result.day}: ${result.boards} boards, published as data/snapshots/${result.day}.json\n`,
    );
    return 0;
  } finally {
    target.client.destroy();
  }
}

async function localTarget(dataDir: string): Promise<{ client: LambdaClient; functionName: string }> {
  const path = endpointsFilePath(dataDir);
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) {
    throw new UsageError(`no local stack is running with data in ${dataDir} (start it with \`npm start\`)`);
  }
  const endpoints = EndpointsFile.parse(JSON.parse(text));
  return {
    client: new LambdaClient({
      region: endpoints.region,
      endpoint: endpoints.lambda,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    }),
    functionName: endpoints.dailySnapshotFunction,
  };
}
