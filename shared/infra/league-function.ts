import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { LeagueConfig } from '../config/league-config.js';
import type { ParticipantConfig } from '../config/participant-config.js';

/** The repository root: esbuild's project root, and where handler entries are resolved from. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * ESM bundles have no `require`; a CommonJS dependency bundled into one still calls it (for Node
 * built-ins), so the banner gives the module a real one.
 */
const ESM_REQUIRE_SHIM =
  "import { createRequire as __leagueCreateRequire } from 'node:module'; const require = __leagueCreateRequire(import.meta.url);";

/**
 * The validated config a function is built with, inlined into the bundle: the leaderboard
 * account's functions read the league config (`process.env.LEAGUE_CONFIG_JSON`), a participant
 * stack's functions their team's config (`process.env.PARTICIPANT_CONFIG_JSON`). Exactly one.
 */
export type LeagueFunctionConfig =
  | { readonly config: LeagueConfig; readonly participantConfig?: never }
  | { readonly participantConfig: ParticipantConfig; readonly config?: never };

export type LeagueFunctionProps = LeagueFunctionBaseProps & LeagueFunctionConfig;

export interface LeagueFunctionBaseProps {
  /** The handler file, relative to the repository root; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  /** Set on purpose for each function: no default. */
  readonly timeout: Duration;
  /** Set on purpose for each function (MB): no default. */
  readonly memorySize: number;
  /** The caller's environment; merged with the defaults below, never replacing them wholesale. */
  readonly environment?: Readonly<Record<string, string>>;
  /** POWERTOOLS_SERVICE_NAME; defaults to the construct id. */
  readonly serviceName?: string;
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** @default three months */
  readonly logRetention?: logs.RetentionDays;
  /** @default RETAIN: the logs are the audit trail of judging and publishing. */
  readonly logRemovalPolicy?: RemovalPolicy;
  readonly reservedConcurrentExecutions?: number;
}

/**
 * Every Lambda of the League, in both accounts: Node 24 on ARM64, an ESM bundle with source maps,
 * an explicit log group with retention, and a role that may write to that log group only (so no
 * AWS managed policy: `AWSLambdaBasicExecutionRole` would allow every log group in the account).
 */
export class LeagueFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: logs.LogGroup;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: LeagueFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${id}: ${props.description}`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: join(REPO_ROOT, props.entry),
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      timeout: props.timeout,
      memorySize: props.memorySize,
      role: this.role,
      logGroup: this.logGroup,
      environment: mergeEnvironment(props.environment, {
        POWERTOOLS_SERVICE_NAME: props.serviceName ?? id,
        LOG_LEVEL: props.logLevel ?? 'INFO',
      }),
      ...(props.reservedConcurrentExecutions === undefined
        ? {}
        : { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      bundling: {
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_SHIM,
        target: 'node24',
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // Bundled rather than taken from the runtime: the handlers rely on S3 conditional writes and
        // pinned client versions, and the runtime's SDK changes under them.
        bundleAwsSDK: true,
        // A define, not an environment variable: no 4 KB limit, and the config is fixed per deploy.
        define: configDefine(props),
      },
    });
  }
}

/** esbuild `define`s take JavaScript source: the config's JSON text as a string literal. */
function configDefine(props: LeagueFunctionConfig): Record<string, string> {
  if (props.participantConfig) {
    return { 'process.env.PARTICIPANT_CONFIG_JSON': JSON.stringify(JSON.stringify(props.participantConfig)) };
  }
  if (props.config) return { 'process.env.LEAGUE_CONFIG_JSON': JSON.stringify(JSON.stringify(props.config)) };
  throw new Error('a LeagueFunction needs the league config or a participant config');
}

/**
 * The caller's variables win, except NODE_OPTIONS, which is extended: dropping
 * `--enable-source-maps` would turn every stack trace back into minified line 1.
 */
export function mergeEnvironment(
  caller: Readonly<Record<string, string>> | undefined,
  defaults: { POWERTOOLS_SERVICE_NAME: string; LOG_LEVEL: string },
): Record<string, string> {
  const nodeOptions = ['--enable-source-maps', caller?.NODE_OPTIONS]
    .filter((option): option is string => Boolean(option))
    .join(' ');
  return {
    ...defaults,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...caller,
    NODE_OPTIONS: nodeOptions,
  };
}
