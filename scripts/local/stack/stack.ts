import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { SqsEvaluationQueue } from '../../../leaderboard-account/adapters/sqs-evaluation-queue.js';
import { keys } from '../../../leaderboard-account/app/records.js';
import { type JudgeApi, SignedJudgeApi } from '../../../participant-account/adapters/judge-api.js';
import { createTokenVerifier } from '../../../participant-account/auth/index.js';
import { parseLeagueConfig } from '../../../shared/config/league-config.js';
import { webAppContentSecurityPolicy } from '../../../shared/infra/content-security-policy.js';
import { createS3Client, S3ObjectStore } from '../../../shared/storage/s3-object-store.js';
import { startBedrockEmulator } from '../../emulators/bedrock-converse/index.js';
import {
  createParticipant,
  PARTICIPANTS_GROUP,
  provisionParticipantPool,
  startLocalCognito,
  TEAM_ADMINS_GROUP,
} from '../cognito/index.js';
import { LocalIam } from '../iam/index.js';
import { startLocalLambda } from '../lambda/index.js';
import { startLocalS3 } from '../s3/index.js';
import { pollQueue, startLocalSqs } from '../sqs/index.js';
import { type EndpointsFile, endpointsFilePath } from './endpoints-file.js';
import {
  type HttpLambda,
  JUDGE_API_PREFIX,
  JUDGE_ROUTES,
  LEADERBOARD_API_PREFIX,
  LEADERBOARD_ROUTES,
  PARTICIPANT_API_PREFIX,
  PARTICIPANT_ROUTES,
  startGateway,
} from './gateway.js';
import { resumeUnfinishedWork } from './resume.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const DEMO = join(REPO, 'scripts/demo/league');
/** The two built web apps the gateways serve. */
export const WEB_ROOTS = {
  leaderboard: join(REPO, 'leaderboard-account/web/dist'),
  participant: join(REPO, 'participant-account/web/dist'),
} as const;

export const REGION = 'us-east-1';
export const LEADERBOARD_ACCOUNT = '100000000000';
export const QUESTION_SET_ID = 'demo-v1';
export const YOUR_TEAM = 'your-team';
export const DEMO_EMAIL = 'participant@example.org';
export const DEMO_PASSWORD = 'LocalLeague-2026';

export const BUCKETS = {
  leaderboardState: 'league-state',
  site: 'league-site',
  teamState: 'your-team-state',
  uploads: 'your-team-uploads',
  validated: 'your-team-validated',
  results: 'your-team-results',
  demoResults: 'demo-results',
} as const;

/** The four demo teams: results file, model name, and a placeholder account each. */
export const DEMO_TEAMS = [
  { teamId: 'lynx', displayName: 'Lynx', file: 'results-strong.jsonl', model: 'lynx/llama-3.1-8b-sft' },
  { teamId: 'otters', displayName: 'Otters', file: 'results-average.jsonl', model: 'otters/mistral-7b-lora' },
  { teamId: 'moths', displayName: 'Moths', file: 'results-weak.jsonl', model: 'moths/tinyllama-1.1b' },
  {
    teamId: 'tricksters',
    displayName: 'Tricksters',
    file: 'results-null.jsonl',
    model: 'tricksters/null-model',
  },
] as const;

const SUBMITTER_ROLE = 'LlmLeagueSubmitterRole';

/** The organiser's local access key: it signs the leaderboard API's admin calls (freeze, reveal…). */
export const ORGANISER_KEY = { accessKeyId: 'local-organiser', secretAccessKey: 'local-organiser' } as const;

/** The daily snapshot's function on the local Lambda (`league snapshot --local` invokes it). */
export const DAILY_SNAPSHOT_FUNCTION = 'daily-snapshot';

export interface StackOptions {
  /** Where state lives across restarts (`.league-local/`). */
  readonly dataDir: string;
  /** Wipe `dataDir` first. */
  readonly reset?: boolean;
  /** The leaderboard origin (public site + its data); 0 = any free port. */
  readonly gatewayPort?: number;
  /** Your team's participant origin (web app + Participant API); 0 = any free port. */
  readonly participantPort?: number;
  /** 0 = any free port. */
  readonly s3Port?: number;
  /** 0 = any free port; never 9229. */
  readonly cognitoPort?: number;
  /** Progress lines; default none. */
  readonly log?: (line: string) => void;
  /** The judge: the local Converse emulator (default), Amazon Bedrock, or an OpenAI-compatible server. */
  readonly judge?: LocalJudgeChoice;
}

export interface Stack {
  /** The public leaderboard site. */
  readonly siteUrl: string;
  /** Your team's participant web app. */
  readonly participantAppUrl: string;
  readonly participantApiUrl: string;
  /** The Judge API's stage URL (IAM: SigV4 as a SubmitterRole session). */
  readonly judgeApiUrl: string;
  /** The leaderboard API's stage URL (IAM admin routes, signed with {@link ORGANISER_KEY}; public GET /snapshots). */
  readonly leaderboardApiUrl: string;
  /** The local STS endpoint (AssumeRole of the SubmitterRole). */
  readonly stsEndpoint: string;
  readonly s3Endpoint: string;
  readonly cognitoEndpoint: string;
  readonly pool: { readonly userPoolId: string; readonly clientId: string; readonly issuer: string };
  readonly demoUser: { readonly email: string; readonly password: string };
  /** Resolves when the demo submissions have been accepted by the Judge API. */
  readonly seeded: Promise<void>;
  /** The real Judge API handler, called as a team's SubmitterRole session (tests, scripts). */
  judgeApiAs(teamId: string): JudgeApi;
  stop(): Promise<void>;
}

const StackFile = z.object({
  userPoolId: z.string(),
  clientId: z.string(),
  demoUserCreated: z.boolean().default(false),
});
type StackFile = z.infer<typeof StackFile>;

/** Where your team's replayed model reads its answers, in the results bucket. */
const YOUR_TEAM_REPLAY_KEY = 'replay/your-team-model.jsonl';
const YOUR_TEAM_MODEL = 'your-team/qwen2.5-7b-sft';

/**
 * Your team's model's answers: the strong demo answers for every other question and the average
 * ones for the rest, so a first submission lands between lynx and otters.
 */
async function yourTeamReplay(): Promise<string> {
  const read = async (file: string) =>
    (await readFile(join(DEMO, file), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const [strong, average] = await Promise.all([read('results-strong.jsonl'), read('results-average.jsonl')]);
  return `${strong
    .map((record, index) =>
      JSON.stringify({ ...(index % 2 === 0 ? record : average[index]), model: YOUR_TEAM_MODEL }),
    )
    .join('\n')}\n`;
}

/** Which judge the local League uses. */
export type LocalJudgeChoice =
  | { readonly provider: 'emulator' }
  /** Real Bedrock, with the AWS credentials of the environment (profile, SSO, keys). */
  | { readonly provider: 'bedrock'; readonly modelId: string; readonly region: string }
  /** A local OpenAI-compatible server (vLLM, Ollama, llama.cpp's server…). */
  | {
      readonly provider: 'openai';
      readonly baseUrl: string;
      readonly modelId: string;
      readonly apiKey?: string;
    };

/** The league config's `judge` for a choice. */
export function localJudgeSettings(choice: LocalJudgeChoice): Record<string, unknown> {
  switch (choice.provider) {
    case 'emulator':
      return { provider: 'emulator', modelId: 'emulator/reference-overlap', maxAttempts: 3 };
    case 'bedrock':
      return { provider: 'bedrock', modelId: choice.modelId, region: choice.region, concurrency: 4 };
    case 'openai':
      return {
        provider: 'openai',
        modelId: choice.modelId,
        openaiBaseUrl: choice.baseUrl,
        ...(choice.apiKey ? { openaiApiKey: choice.apiKey } : {}),
        concurrency: 4,
      };
  }
}

/** One line saying which judge runs. */
export function describeJudge(choice: LocalJudgeChoice): string {
  switch (choice.provider) {
    case 'emulator':
      return 'the Converse emulator (a reference-overlap heuristic, not an LLM)';
    case 'bedrock':
      return `Amazon Bedrock, ${choice.modelId} in ${choice.region} (your AWS credentials)`;
    case 'openai':
      return `${choice.modelId} on the OpenAI-compatible server ${choice.baseUrl}`;
  }
}

/** Queues again every evaluation still `queued` or `running` in the state bucket; returns how many. */
const externalId = (teamId: string) => `external-id-${teamId}-local-0123456789`;
const teamAccount = (index: number) => String(200000000000 + index);
/** Builds each web app into its `dist/` when it is not there (`npm run build:web` rebuilds both). */
export function ensureWebAppsBuilt(log: (line: string) => void): void {
  for (const webRoot of Object.values(WEB_ROOTS)) {
    const app = join(webRoot, '..');
    const built = join(webRoot, 'index.html');
    // Built, and newer than every source it is built from (after a `git pull`, it may not be).
    if (existsSync(built) && statSync(built).mtimeMs >= newestSource(app)) continue;
    log(`building ${app} (vite build)…`);
    const build = spawnSync('npx', ['vite', 'build', app, '--logLevel', 'warn'], {
      cwd: REPO,
      stdio: 'inherit',
    });
    if (build.status !== 0) throw new Error(`vite build of ${app} failed`);
  }
}

/** The newest modification time among a web app's sources (and the code it shares). */
function newestSource(app: string): number {
  let newest = 0;
  const visit = (path: string) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) visit(join(path, entry));
    } else if (!path.endsWith('.test.ts')) {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  for (const path of [
    join(app, 'src'),
    join(app, 'index.html'),
    join(app, 'vite.config.ts'),
    join(REPO, 'shared/web'),
  ])
    visit(path);
  return newest;
}

/**
 * The whole League on one machine: the real Lambda handlers and AWS SDK clients, pointed at the
 * local S3, SQS, Lambda, Cognito and Converse emulators, behind one gateway.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const log = options.log ?? (() => {});
  const judgeChoice: LocalJudgeChoice = options.judge ?? { provider: 'emulator' };
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const stops: (() => Promise<void>)[] = [];
  const abort = new AbortController();
  const stopAll = async () => {
    abort.abort();
    for (const stop of stops.reverse()) {
      await stop().catch((error: unknown) => console.error('stopping the local stack:', error));
    }
  };
  try {
    if (options.reset) await rm(options.dataDir, { recursive: true, force: true });
    await mkdir(options.dataDir, { recursive: true });
    ensureWebAppsBuilt(log);

    const questions = await readFile(join(DEMO, 'questions.jsonl'), 'utf8');

    // S3
    const s3Dir = join(options.dataDir, 's3');
    await mkdir(s3Dir, { recursive: true });
    const localS3 = await startLocalS3({
      port: options.s3Port ?? 0,
      directory: s3Dir,
      buckets: Object.values(BUCKETS).map((name) => ({ name, cors: name === BUCKETS.uploads })),
    });
    stops.push(() => localS3.close());
    const s3 = createS3Client({ region: REGION, endpoint: localS3.endpoint });
    log(`S3 on ${localS3.endpoint}`);

    // Cognito, with the team's pool kept across restarts
    const cognitoDir = join(options.dataDir, 'cognito');
    const cognito = await startLocalCognito({ port: options.cognitoPort ?? 0, directory: cognitoDir });
    stops.push(() => cognito.close());
    const cognitoClient = new CognitoIdentityProviderClient({
      region: REGION,
      endpoint: cognito.endpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    stops.push(async () => cognitoClient.destroy());
    const stackFilePath = join(options.dataDir, 'stack.json');
    let stackFile: StackFile | undefined;
    if (existsSync(stackFilePath)) {
      stackFile = StackFile.parse(JSON.parse(await readFile(stackFilePath, 'utf8')));
    }
    if (!stackFile) {
      const pool = await provisionParticipantPool(cognitoClient, {
        poolName: `league-${YOUR_TEAM}`,
        teamId: YOUR_TEAM,
      });
      stackFile = { userPoolId: pool.userPoolId, clientId: pool.clientId, demoUserCreated: false };
      await writeFile(stackFilePath, `${JSON.stringify(stackFile, null, 2)}\n`);
    }
    if (!stackFile.demoUserCreated) {
      await createParticipant(cognitoClient, stackFile, {
        email: DEMO_EMAIL,
        password: DEMO_PASSWORD,
        groups: [PARTICIPANTS_GROUP, TEAM_ADMINS_GROUP],
      });
      stackFile = { ...stackFile, demoUserCreated: true };
      await writeFile(stackFilePath, `${JSON.stringify(stackFile, null, 2)}\n`);
    }
    const issuer = cognito.issuer(stackFile.userPoolId);
    log(`Cognito on ${cognito.endpoint} (pool ${stackFile.userPoolId})`);

    // Converse emulator: the judge, and your team's model
    const references = new Map(
      questions
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { prompt: string; reference: string })
        .map((q) => [q.prompt, q.reference]),
    );
    const bedrock = await startBedrockEmulator({ references });
    stops.push(() => bedrock.close());

    // SQS (in memory: a restart forgets messages in flight)
    const sqs = await startLocalSqs({
      queues: [
        {
          name: 'evaluations',
          visibilityTimeoutSeconds: 60,
          dlq: { name: 'evaluations-dlq', maxReceiveCount: 3 },
        },
        { name: 'evaluations-dlq' },
      ],
    });
    stops.push(() => sqs.close());

    // Lambda, its functions bound once their modules are imported (they read the env at import)
    type Invoke = (event: never, context: Context) => Promise<unknown>;
    const bound: { leaderboardApi?: Invoke; inferenceRunner?: Invoke; dailySnapshot?: Invoke } = {};
    const late =
      (name: keyof typeof bound): Invoke =>
      (event, ctx) => {
        const fn = bound[name];
        if (!fn) throw new Error(`${name} is not loaded yet`);
        return fn(event, ctx);
      };
    const lambda = await startLocalLambda({
      region: REGION,
      functions: {
        'leaderboard-api': late('leaderboardApi'),
        [DAILY_SNAPSHOT_FUNCTION]: late('dailySnapshot'),
        'your-team-inference-runner': late('inferenceRunner'),
      },
    });
    stops.push(() => lambda.close());

    const localResultsHost = new URL(localS3.endpoint).host;
    const leagueConfig = {
      leaderboard: { account: LEADERBOARD_ACCOUNT, region: REGION },
      questionSetId: QUESTION_SET_ID,
      numBootstrap: 200,
      dailySubmissionCap: 5,
      localResultsHost,
      judge: localJudgeSettings(judgeChoice),
      teams: [
        ...DEMO_TEAMS.map((team, index) => ({
          teamId: team.teamId,
          displayName: team.displayName,
          account: teamAccount(index + 1),
          region: REGION,
          externalId: externalId(team.teamId),
          resultsBucket: BUCKETS.demoResults,
        })),
        {
          teamId: YOUR_TEAM,
          displayName: 'Your team',
          account: teamAccount(9),
          region: REGION,
          externalId: externalId(YOUR_TEAM),
          resultsBucket: BUCKETS.results,
        },
      ],
    };

    // The leaderboard account's handlers. Every local client signs with explicit placeholder keys;
    // the environment's own credentials are kept only for a real Bedrock judge.
    if (judgeChoice.provider !== 'bedrock') {
      Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' });
    }
    Object.assign(process.env, {
      AWS_REGION: REGION,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      STATE_BUCKET: BUCKETS.leaderboardState,
      SITE_BUCKET: BUCKETS.site,
      EVALUATION_QUEUE_URL: sqs.queueUrl('evaluations'),
      LEADERBOARD_FUNCTION_NAME: 'leaderboard-api',
      LOCAL_S3_ENDPOINT: localS3.endpoint,
      LOCAL_SQS_ENDPOINT: sqs.endpoint,
      LOCAL_LAMBDA_ENDPOINT: lambda.endpoint,
      ...(judgeChoice.provider === 'emulator' ? { LOCAL_BEDROCK_ENDPOINT: bedrock.url } : {}),
      LEAGUE_CONFIG_JSON: JSON.stringify(leagueConfig),
    });
    const leaderboardApi = await import('../../../leaderboard-account/functions/leaderboard-api/handler.js');
    bound.leaderboardApi = leaderboardApi.handler as unknown as Invoke;
    const dailySnapshot = await import('../../../leaderboard-account/functions/daily-snapshot/handler.js');
    bound.dailySnapshot = dailySnapshot.handler as unknown as Invoke;
    const judgeApi = (await import('../../../leaderboard-account/functions/judge-api/handler.js'))
      .handler as unknown as HttpLambda;

    // The leaderboard origin: the site, its data, the Judge API and the leaderboard API (IAM), and
    // the STS every team account assumes the SubmitterRole through.
    const submitterRoleArn = `arn:aws:iam::${LEADERBOARD_ACCOUNT}:role/${SUBMITTER_ROLE}`;
    const sessionOfSubmitterRole = new RegExp(
      `^arn:aws:sts::${LEADERBOARD_ACCOUNT}:assumed-role/${SUBMITTER_ROLE}/team-[a-z0-9-]+$`,
    );
    const iam = new LocalIam({
      roleArn: submitterRoleArn,
      // One statement per team, as judge-api.ts writes the trust policy.
      trust: leagueConfig.teams.map((team) => ({
        account: team.account,
        externalId: team.externalId,
        roleSessionName: `team-${team.teamId}`,
      })),
      accessKeys: {
        // Your team's participant functions sign with the stack's `local` key: your team's account.
        local: {
          secretAccessKey: 'local',
          account: teamAccount(9),
          arn: `arn:aws:iam::${teamAccount(9)}:role/your-team-submissions`,
        },
        // Each demo team's account, for its submissions at start.
        ...Object.fromEntries(
          DEMO_TEAMS.map((team, index) => [
            `local-${team.teamId}`,
            {
              secretAccessKey: 'local',
              account: teamAccount(index + 1),
              arn: `arn:aws:iam::${teamAccount(index + 1)}:role/${team.teamId}-submissions`,
            },
          ]),
        ),
        [ORGANISER_KEY.accessKeyId]: {
          secretAccessKey: ORGANISER_KEY.secretAccessKey,
          account: LEADERBOARD_ACCOUNT,
          arn: `arn:aws:iam::${LEADERBOARD_ACCOUNT}:user/organiser`,
        },
      },
      maxSessionSeconds: 3600,
    });
    const gateway = await startGateway({
      port: options.gatewayPort ?? 0,
      webRoot: WEB_ROOTS.leaderboard,
      site: new S3ObjectStore(s3, BUCKETS.site),
      contentSecurityPolicy: webAppContentSecurityPolicy(),
      sts: iam,
      apis: [
        {
          prefix: JUDGE_API_PREFIX,
          routes: JUDGE_ROUTES,
          handlers: { judgeApi },
          // The resource policy: SubmitterRole sessions only.
          authorizer: { kind: 'iam', iam, allow: (arn) => sessionOfSubmitterRole.test(arn) },
        },
        {
          prefix: LEADERBOARD_API_PREFIX,
          routes: LEADERBOARD_ROUTES,
          handlers: { leaderboardApi: leaderboardApi.handler as unknown as HttpLambda },
          // The organiser's principals; a team's session has no execute-api grant here.
          authorizer: {
            kind: 'iam',
            iam,
            allow: (arn) => arn.split(':')[4] === LEADERBOARD_ACCOUNT && !sessionOfSubmitterRole.test(arn),
          },
        },
      ],
    });
    // Stops run in reverse: the gateways close before what is behind them.
    stops.push(() => gateway.close());
    const judgeApiUrl = `${gateway.url}${JUDGE_API_PREFIX}/`;
    const stsEndpoint = `${gateway.url}/sts`;
    /** A team's account calling the Judge API as AWS would: AssumeRole with its ExternalId, then SigV4. */
    const judgeApiAs = (teamId: string): JudgeApi => {
      const team = leagueConfig.teams.find((t) => t.teamId === teamId);
      return new SignedJudgeApi({
        sts: new STSClient({
          region: REGION,
          endpoint: stsEndpoint,
          credentials: {
            accessKeyId: teamId === YOUR_TEAM ? 'local' : `local-${teamId}`,
            secretAccessKey: 'local',
          },
          maxAttempts: 1,
        }),
        roleArn: submitterRoleArn,
        externalId: team?.externalId ?? 'not-registered',
        teamId,
        baseUrl: judgeApiUrl,
        region: REGION,
      });
    };
    const orchestrator = await import('../../../leaderboard-account/functions/judge-orchestrator/handler.js');

    await new S3ObjectStore(s3, BUCKETS.leaderboardState).put(keys.questionSet(QUESTION_SET_ID), questions);

    const sqsClient = new SQSClient({
      region: REGION,
      endpoint: sqs.endpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    stops.push(async () => sqsClient.destroy());
    const polling = pollQueue({
      client: sqsClient,
      queueUrl: sqs.queueUrl('evaluations'),
      handler: orchestrator.handler,
      batchSize: 1,
      waitTimeSeconds: 1,
      signal: abort.signal,
    });
    // Stopped by the abort at the top of stopAll; waited for before the emulators go.
    stops.push(() => polling.catch(() => undefined));
    // The local queue lives in memory: what a stop or a crash left unfinished is queued again, as
    // SQS would still hold it, and the site is brought up to the board state (resume.ts).
    const resumed = await resumeUnfinishedWork({
      config: parseLeagueConfig(leagueConfig, 'the local league config'),
      state: new S3ObjectStore(s3, BUCKETS.leaderboardState),
      site: new S3ObjectStore(s3, BUCKETS.site),
      queue: new SqsEvaluationQueue(sqsClient, sqs.queueUrl('evaluations')),
      now: () => new Date(),
    });
    const unfinished = resumed.unjudged + resumed.unrecorded;
    if (unfinished > 0) log(`${unfinished} unfinished evaluation(s) queued again`);

    // Your team's participant account handlers
    const participantConfig = {
      team: leagueConfig.teams.find((team) => team.teamId === YOUR_TEAM),
      leaderboard: {
        account: LEADERBOARD_ACCOUNT,
        region: REGION,
        judgeApiUrl,
        submitterRoleArn,
      },
      // Your "fine-tuned model": a replay of prepared answers (no model runs on this machine).
      model: { kind: 'replay', resultsKey: YOUR_TEAM_REPLAY_KEY },
      questionSetId: QUESTION_SET_ID,
    };
    Object.assign(process.env, {
      STATE_BUCKET: BUCKETS.teamState,
      UPLOADS_BUCKET: BUCKETS.uploads,
      VALIDATED_BUCKET: BUCKETS.validated,
      RESULTS_BUCKET: BUCKETS.results,
      INFERENCE_RUNNER_FUNCTION_NAME: 'your-team-inference-runner',
      LOCAL_STS_ENDPOINT: stsEndpoint,
      PARTICIPANT_CONFIG_JSON: JSON.stringify(participantConfig),
    });
    const participantApi = (await import('../../../participant-account/functions/participant-api/handler.js'))
      .handler as unknown as HttpLambda;
    const submissionsModule = await import('../../../participant-account/functions/submissions/handler.js');
    const runner = await import('../../../participant-account/functions/inference-runner/handler.js');
    bound.inferenceRunner = runner.handler as unknown as Invoke;
    await new S3ObjectStore(s3, BUCKETS.results).put(YOUR_TEAM_REPLAY_KEY, await yourTeamReplay());
    // The uploads bucket's S3 event source: each new upload goes to the real validator handler.
    const validator = await import('../../../participant-account/functions/validator/handler.js');
    const validations = new Set<Promise<void>>();
    localS3.onObjectCreated(BUCKETS.uploads, (event) => {
      const validation = validator
        .handler(event)
        .catch((error: unknown) => log(`validating an upload failed: ${String(error)}`))
        .finally(() => validations.delete(validation));
      validations.add(validation);
    });
    stops.push(async () => {
      await Promise.all(validations);
    });

    // Your team's origin: its web app and the Participant API behind the Cognito authorizer
    const participantGateway = await startGateway({
      port: options.participantPort ?? 0,
      webRoot: WEB_ROOTS.participant,
      apis: [
        {
          prefix: PARTICIPANT_API_PREFIX,
          routes: PARTICIPANT_ROUTES,
          handlers: { participantApi, submissions: submissionsModule.handler as unknown as HttpLambda },
          authorizer: {
            kind: 'cognito',
            verifier: createTokenVerifier({
              userPoolId: stackFile.userPoolId,
              clientId: stackFile.clientId,
              issuer,
            }),
          },
        },
      ],
      // As participant-stack.ts writes it, with the local Cognito in place of cognito-idp.
      runtimeConfig: {
        teamId: YOUR_TEAM,
        teamDisplayName: 'Your team',
        region: REGION,
        userPoolId: stackFile.userPoolId,
        userPoolClientId: stackFile.clientId,
        apiUrl: `${PARTICIPANT_API_PREFIX}/`,
        cognitoEndpoint: cognito.endpoint,
        leaderboardUrl: `${gateway.url}/`,
      },
      // The deployed policy's hosts, locally: Cognito and the uploads bucket (path-style).
      contentSecurityPolicy: webAppContentSecurityPolicy([cognito.endpoint, localS3.endpoint]),
    });
    stops.push(() => participantGateway.close());

    // The demo teams' submissions, through the real Judge API (a replay of the same id is a no-op)
    const demoResults = new S3ObjectStore(s3, BUCKETS.demoResults);
    const seeded = (async () => {
      for (const team of DEMO_TEAMS) {
        const body = await readFile(join(DEMO, team.file), 'utf8');
        const key = `${team.teamId}/demo-1.jsonl`;
        await demoResults.put(key, body);
        const resultsUrl = await getSignedUrl(
          s3,
          new GetObjectCommand({ Bucket: BUCKETS.demoResults, Key: key }),
          { expiresIn: 3600 },
        );
        const response = await judgeApiAs(team.teamId).call('POST', '/evaluations', {
          submissionId: 'demo-1',
          modelName: team.model,
          questionSetId: QUESTION_SET_ID,
          resultsUrl,
          resultsSha256: createHash('sha256').update(body).digest('hex'),
        });
        if (response.status >= 300) {
          throw new Error(
            `demo submission of ${team.teamId} answered ${response.status}: ${JSON.stringify(response.body)}`,
          );
        }
        log(`demo team ${team.teamId}: submission ${response.status === 202 ? 'queued' : 'already there'}`);
      }
    })();
    seeded.catch((error: unknown) => log(`seeding failed: ${String(error)}`));

    const endpoints: EndpointsFile = {
      region: REGION,
      lambda: lambda.endpoint,
      s3: localS3.endpoint,
      dailySnapshotFunction: DAILY_SNAPSHOT_FUNCTION,
    };
    await writeFile(endpointsFilePath(options.dataDir), `${JSON.stringify(endpoints, null, 2)}\n`);
    stops.push(() => rm(endpointsFilePath(options.dataDir), { force: true }));

    let stopping: Promise<void> | undefined;
    return {
      siteUrl: gateway.url,
      participantAppUrl: participantGateway.url,
      participantApiUrl: `${participantGateway.url}${PARTICIPANT_API_PREFIX}`,
      judgeApiUrl,
      leaderboardApiUrl: `${gateway.url}${LEADERBOARD_API_PREFIX}/`,
      stsEndpoint,
      s3Endpoint: localS3.endpoint,
      cognitoEndpoint: cognito.endpoint,
      pool: { userPoolId: stackFile.userPoolId, clientId: stackFile.clientId, issuer },
      demoUser: { email: DEMO_EMAIL, password: DEMO_PASSWORD },
      seeded,
      judgeApiAs,
      stop: () => {
        // Let the demo seeding finish (it is a few quick calls), but never wait on it for long.
        stopping ??= Promise.race([seeded.catch(() => undefined), delay(10_000)]).then(stopAll);
        return stopping;
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
