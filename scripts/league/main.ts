import { UsageError } from './errors.js';
import { INVITE_USAGE, inviteCommand } from './invite-command.js';
import { JUDGE_USAGE, judgeCommand } from './judge-command.js';
import { type CommandIo, RANK_USAGE, rankCommand } from './rank-command.js';
import { README_USAGE, readmeCommand } from './readme-command.js';
import { SNAPSHOT_USAGE, snapshotCommand } from './snapshot-command.js';
import { VALIDATE_USAGE, validateCommand } from './validate-command.js';

const USAGE = `usage: league <command> [options]

commands:
  rank BATTLES.jsonl     Bradley-Terry ratings with bootstrap CIs from a battles file
  judge --questions Q.jsonl --results R.jsonl
                         judge a team's answers against the reference (LLM judge or local emulator)
  readme LEADERBOARD.json README.md
                         write the Top-N table between the leaderboard markers of a README
  invite --email E --team T --user-pool-id ID
                         invite a participant to their team's user pool (Cognito)
  validate FILE          check a testing-data file by the validator Lambda's rules
                         (exit 0 valid, 1 invalid)
  snapshot --local | --function-name NAME
                         take the daily snapshot now (rank changes since the last one)

Run \`league <command> --help\` for a command's options.
`;

const COMMAND_USAGE: Readonly<Record<string, string>> = {
  rank: RANK_USAGE,
  readme: README_USAGE,
  judge: JUDGE_USAGE,
  validate: VALIDATE_USAGE,
  invite: INVITE_USAGE,
  snapshot: SNAPSHOT_USAGE,
};

/** The `league` CLI. Returns the exit code: 0 success, 1 a negative result, 2 a usage or input error. */
export async function main(
  argv: string[],
  io: CommandIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'rank':
        return await rankCommand(rest, io);
      case 'readme':
        return await readmeCommand(rest, io);
      case 'judge':
        return await judgeCommand(rest, io);
      case 'validate':
        return await validateCommand(rest, io);
      case 'invite':
        return await inviteCommand(rest, io);
      case 'snapshot':
        return await snapshotCommand(rest, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        (command === undefined ? io.stderr : io.stdout).write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`league: ${(error as Error).message}\n`);
      const usage = COMMAND_USAGE[command ?? ''] ?? USAGE;
      if (!(error instanceof UsageError && /^.+:\d+: /.test(error.message))) io.stderr.write(`\n${usage}`);
      return 2;
    }
    io.stderr.write(`league: ${(error as Error).message}\n`);
    return 1;
  }
}
