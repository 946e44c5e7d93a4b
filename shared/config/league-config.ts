import * as z from 'zod';
import { JudgeSettings } from '../../leaderboard-account/judging/judge-settings.js';
import { displayName, RecordId, TeamId } from '../contracts/common.js';
import { Criterion } from '../contracts/judge-criteria.js';

/**
 * The league's one configuration: which accounts take part, how they are judged and ranked. It is
 * named from cdk.json context (`league:config`), validated once at synth, and handed to the
 * functions at build time, so a typo fails the deploy, not the event.
 */
export const AccountId = z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id');
export const Region = z
  .string()
  .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'must be an AWS region such as us-east-1');

/**
 * The team's model, as the participant stack's inference reaches it: a SageMaker endpoint (JumpStart
 * text-generation payloads), a Bedrock model id (Converse; custom imported models included), any
 * OpenAI-compatible server, or a replay of a results file (demos and tests).
 */
export const TeamModelSettings = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sagemaker'), endpointName: z.string().min(1), region: Region.optional() }),
  z.object({ kind: z.literal('bedrock'), modelId: z.string().min(1), region: Region.optional() }),
  z.object({
    kind: z.literal('openai'),
    baseUrl: z.url(),
    modelId: z.string().min(1),
    apiKey: z.string().optional(),
  }),
  z.object({ kind: z.literal('replay'), resultsKey: z.string().min(1) }),
]);
export type TeamModelSettings = z.infer<typeof TeamModelSettings>;

export const TeamRegistration = z.object({
  teamId: TeamId,
  displayName: displayName(80),
  /** The team's own AWS account: its SubmitterRole calls are attributed to this team. */
  account: AccountId,
  region: Region,
  /** The secret the team's stack presents when assuming the SubmitterRole (confused-deputy guard). */
  externalId: z.string().regex(/^[\w+=,.@:/-]{16,1224}$/, 'must be 16+ characters of [A-Za-z0-9_+=,.@:/-]'),
  /** The team's results bucket: presigned result URLs must point into it. */
  resultsBucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name'),
  /** The team's model for its participant stack (default: SageMaker endpoint `llm-league-<teamId>`). */
  model: TeamModelSettings.optional(),
});
export type TeamRegistration = z.infer<typeof TeamRegistration>;

export const LeagueConfig = z
  .object({
    /** LEADERBOARD_SLUG. */
    slug: z
      .string()
      .regex(/^[a-z0-9-]{1,40}$/)
      .default('overall'),
    leaderboard: z.object({ account: AccountId, region: Region }),
    teams: z.array(TeamRegistration).default([]),
    questionSetId: RecordId,
    judge: JudgeSettings.default(JudgeSettings.parse({})),
    /** How boards rank: win rate vs the reference, rubric score, or Bradley-Terry (arena). */
    scoringMode: z.enum(['pairwise-reference', 'rubric', 'arena']).default('pairwise-reference'),
    criteria: z.array(Criterion).optional(),
    dailySubmissionCap: z.number().int().min(1).max(1000).default(5),
    /** How many times a day (UTC) a team may change which submission stands for it. */
    dailySelectionCap: z.number().int().min(1).max(1000).default(10),
    /** NUM_BOOTSTRAP, MIN_EVALS, SIGNIFICANT: BixArena's names and defaults. */
    numBootstrap: z.number().int().min(0).max(10_000).default(1000),
    minEvals: z.number().int().min(0).default(10),
    significant: z.boolean().default(false),
    /**
     * Length control (win-rate boards: AlpacaEval 2's length-controlled win rate) and style control
     * (arena boards: LMArena's style-controlled Bradley-Terry): `show` (default) publishes it next to
     * the raw score, `rank` ranks the boards by it, `off` leaves it out. Rubric boards have neither.
     */
    control: z.enum(['off', 'show', 'rank']).default('show'),
    /** How a team's entry is picked: its best public submission, or the one it selected. */
    selection: z.enum(['best', 'selected']).default('best'),
    /** Largest results file the judge will fetch. */
    resultsMaxBytes: z
      .number()
      .int()
      .positive()
      .default(20 * 1024 * 1024),
    /** Local stack only: accept http result URLs on this host (e.g. 127.0.0.1:4569). Never set on AWS. */
    localResultsHost: z.string().optional(),
  })
  .superRefine((config, ctx) => {
    const seen = new Map<string, string>();
    config.teams.forEach((team, index) => {
      for (const [field, value] of [
        ['teamId', team.teamId],
        ['account', team.account],
      ] as const) {
        const key = `${field}:${value}`;
        const other = seen.get(key);
        if (other)
          ctx.addIssue({
            code: 'custom',
            path: ['teams', index, field],
            message: `${field} ${value} is also used by team ${other}`,
          });
        else seen.set(key, team.teamId);
      }
    });
    if (config.scoringMode === 'rubric' && config.judge.mode !== 'rubric') {
      ctx.addIssue({
        code: 'custom',
        path: ['judge', 'mode'],
        message: 'scoringMode rubric needs judge.mode rubric',
      });
    }
    if (config.scoringMode !== 'rubric' && config.judge.mode === 'rubric') {
      ctx.addIssue({
        code: 'custom',
        path: ['judge', 'mode'],
        message: `judge.mode rubric gives no verdicts for scoringMode ${config.scoringMode}`,
      });
    }
  });
export type LeagueConfig = z.infer<typeof LeagueConfig>;
export type LeagueConfigInput = z.input<typeof LeagueConfig>;

/** Parses a config, with every problem named by its path: `teams.2.account: must be a 12-digit AWS account id`. */
export function parseLeagueConfig(raw: unknown, source = 'league config'): LeagueConfig {
  const parsed = LeagueConfig.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`,
  );
  throw new Error(`${source} is not valid:\n${problems.join('\n')}`);
}
