import { type ChildProcess, spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/** `npm start`'s command: node with tsx's loader (no tsx CLI, whose signal relay can SIGKILL the stack). */
export const START_COMMAND = [process.execPath, '--import', 'tsx', 'scripts/local/stack/start.ts'] as const;
export const ON_FREE_PORTS = [
  '--port',
  '0',
  '--participant-port',
  '0',
  '--s3-port',
  '0',
  '--cognito-port',
  '0',
];

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** What `npm start` prints once the stack is up. */
export interface PrintedStack {
  readonly siteUrl: string;
  readonly participantAppUrl: string;
  readonly s3Port: number;
  readonly cognitoEndpoint: string;
  readonly cognitoPort: number;
  readonly userPoolId: string;
  readonly clientId: string;
  readonly demoEmail: string;
  readonly demoPassword: string;
}

export interface LocalLeagueProcessOptions {
  /** How long `printed` waits for a line. */
  readonly printedWithinMs: number;
  /** How long `stopped` waits for the exit. */
  readonly stoppedWithinMs: number;
}

interface Waiter {
  readonly pattern: RegExp;
  readonly resolve: (found: { match: RegExpExecArray; at: number }) => void;
  readonly reject: (error: Error) => void;
}

/**
 * `npm start` in a child process, in its own process group (as a terminal's foreground job is), its
 * output watched as it arrives so that each line's time is exact. For the start tests and the
 * start-up benchmark.
 */
export class LocalLeagueProcess {
  readonly spawnedAt: number;
  /** Set on 'close', once all of its output has been read. */
  exit: Exit | undefined;
  /** `performance.now()` when the process exited. */
  exitedAt: number | undefined;
  readonly exited: Promise<Exit>;
  private out = '';
  private err = '';
  private closed = false;
  private waiters: Waiter[] = [];
  private readonly child: ChildProcess;

  constructor(
    args: readonly string[],
    private readonly options: LocalLeagueProcessOptions,
  ) {
    this.spawnedAt = performance.now();
    this.child = spawn(START_COMMAND[0], [...START_COMMAND.slice(1), ...args], {
      cwd: REPO,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      this.out += chunk;
      this.settleWaiters();
    });
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.err += chunk;
    });
    this.child.once('exit', () => {
      this.exitedAt = performance.now();
    });
    this.exited = new Promise<Exit>((resolve, reject) => {
      this.child.once('error', reject);
      // 'close', not 'exit': by then all of its output has been read, so a line that never came
      // is known not to come.
      this.child.once('close', (code, signal) => {
        this.exit = { code, signal };
        this.closed = true;
        this.settleWaiters();
        resolve(this.exit);
      });
    });
  }

  get stdout(): string {
    return this.out;
  }

  get stderr(): string {
    return this.err;
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  /** Everything it printed, for failure messages. */
  get output(): string {
    return `\n--- stdout ---\n${this.out}\n--- stderr ---\n${this.err}`;
  }

  secondsSinceSpawn(at: number): number {
    return (at - this.spawnedAt) / 1000;
  }

  /** When `pattern` first appeared in stdout (at once if it already has); fails if the process ends first. */
  printed(pattern: RegExp): Promise<{ match: RegExpExecArray; at: number }> {
    const withinMs = this.options.printedWithinMs;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter.pattern !== pattern);
        reject(new Error(`no ${pattern} within ${withinMs} ms${this.output}`));
      }, withinMs);
      this.waiters.push({
        pattern,
        resolve: (found) => {
          clearTimeout(timer);
          resolve(found);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.settleWaiters();
    });
  }

  async printedStack(): Promise<PrintedStack> {
    // The whole block is one console.log: once its last line is there, all of it is.
    await this.printed(/^ {2}Daily snapshot /m);
    const field = (pattern: RegExp, index = 1): string => {
      const value = pattern.exec(this.out)?.[index];
      if (value === undefined) throw new Error(`no ${pattern} in${this.output}`);
      return value;
    };
    const cognito = /^ {2}Cognito +(http:\/\/127\.0\.0\.1:(\d+)) +\(pool (\S+), client (\S+)\)/m;
    return {
      siteUrl: field(/^ {2}Leaderboard site +(http:\/\/127\.0\.0\.1:\d+)\/$/m),
      participantAppUrl: field(/^ {2}Participant app +(http:\/\/127\.0\.0\.1:\d+)\//m),
      s3Port: Number(field(/^ {2}S3 +http:\/\/127\.0\.0\.1:(\d+)$/m)),
      cognitoEndpoint: field(cognito, 1),
      cognitoPort: Number(field(cognito, 2)),
      userPoolId: field(cognito, 3),
      clientId: field(cognito, 4),
      demoEmail: field(/^ {2}Demo participant +(\S+) \/ (\S+)/m, 1),
      demoPassword: field(/^ {2}Demo participant +(\S+) \/ (\S+)/m, 2),
    };
  }

  /** Ctrl-C as a terminal sends it: SIGINT to the whole process group. Returns when it was sent. */
  interrupt(): number {
    if (this.child.pid === undefined) throw new Error('not started');
    const sentAt = performance.now();
    process.kill(-this.child.pid, 'SIGINT');
    return sentAt;
  }

  /** The exit, waited for at most `stoppedWithinMs`. */
  async stopped(): Promise<Exit> {
    const withinMs = this.options.stoppedWithinMs;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`still running ${withinMs} ms later${this.output}`)),
        withinMs,
      );
    });
    try {
      return await Promise.race([this.exited, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The last resort, for a run that failed half-way: SIGKILL to every process left in the group. */
  async kill(): Promise<void> {
    if (this.exit || this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      // ESRCH: nothing of the group is left.
    }
    await this.exited.catch(() => undefined);
  }

  private settleWaiters(): void {
    const at = performance.now();
    this.waiters = this.waiters.filter((waiter) => {
      const match = waiter.pattern.exec(this.out);
      if (match) waiter.resolve({ match, at });
      else if (this.closed) {
        waiter.reject(
          new Error(`exited (${JSON.stringify(this.exit)}) before printing ${waiter.pattern}${this.output}`),
        );
      } else return true;
      return false;
    });
  }
}
