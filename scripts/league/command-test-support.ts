import type { CommandIo } from './rank-command.js';

/** What a command printed and returned, for the CLI tests. */
export interface CommandRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A stand-in for stdout/stderr that collects what is written. Not a terminal, so no progress redraws. */
function fakeStream(): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const fake = {
    isTTY: false,
    write(chunk: string | Uint8Array): boolean {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    },
  };
  // The commands only call write() and read isTTY; the rest of WriteStream is not needed.
  return { stream: fake as unknown as NodeJS.WriteStream, text: () => chunks.join('') };
}

/** Runs a command (`main` or one subcommand) in-process with captured output. */
export async function runCommand(
  command: (argv: string[], io: CommandIo) => Promise<number>,
  argv: string[],
): Promise<CommandRun> {
  const stdout = fakeStream();
  const stderr = fakeStream();
  const code = await command(argv, { stdout: stdout.stream, stderr: stderr.stream });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
