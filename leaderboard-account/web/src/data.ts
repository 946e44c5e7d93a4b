import * as z from 'zod';
import { FiniteNumber, IsoDateTime, TeamId } from '../../../shared/contracts/common.js';
import { FlaggedAnswers, Snapshot } from '../../../shared/contracts/snapshot.js';

/**
 * The published files the public site reads (see `app/publish-boards.ts` and `app/daily-snapshot.ts`).
 * The board itself is the shared Snapshot contract; the extras are what the publisher adds around it.
 */

const TeamNames = z.record(z.string(), z.string());

/**
 * `data/leaderboard.json`: the public overall board spread at the top level, plus the site metadata.
 * Before any submission is ranked the board fields are absent, so the metadata is parsed on its own.
 */
export const LeaderboardMeta = z.object({
  categories: z.array(z.string()).default([]),
  teamNames: TeamNames.default({}),
  revealed: z.boolean().default(false),
  stateVersion: z.number().int().nonnegative(),
  /** Not published yet; the site marks a frozen board once the publisher adds the flag. */
  frozen: z.boolean().optional(),
});
export type LeaderboardMeta = z.infer<typeof LeaderboardMeta>;

/** `data/boards/{split}/{category|overall}.json`: one board with the team names. */
export const BoardFile = Snapshot.extend({ teamNames: TeamNames.default({}) });
export type BoardFile = z.infer<typeof BoardFile>;

export interface LeaderboardFile {
  readonly meta: LeaderboardMeta;
  /** The public overall board, or `undefined` while nothing is ranked yet. */
  readonly board: BoardFile | undefined;
}

export const TeamScore = z.object({
  score: FiniteNumber,
  ciLow: FiniteNumber,
  ciHigh: FiniteNumber,
  nQuestions: z.number().int().nonnegative(),
  metric: z.enum(['win-rate', 'rubric']),
});
export type TeamScore = z.infer<typeof TeamScore>;

/** `data/teams/<team>.json`: every judged submission of a team, newest first. */
export const TeamHistory = z.object({
  team: z.string(),
  displayName: z.string(),
  stateVersion: z.number().int().nonnegative(),
  submissions: z.array(
    z.object({
      submissionId: z.string(),
      model: z.string(),
      submittedAt: IsoDateTime,
      selected: z.boolean(),
      public: TeamScore.nullable(),
      private: TeamScore.nullable().optional(),
      /** The submission's answers the injection detector flagged (the page's marker). */
      flagged: FlaggedAnswers.optional(),
      /** Why the league's flag policy keeps it off the boards, when it does. */
      excluded: z.string().optional(),
    }),
  ),
});
export type TeamHistory = z.infer<typeof TeamHistory>;
export type TeamSubmission = TeamHistory['submissions'][number];

/** `data/snapshots/index.json`: the days a daily snapshot was taken, oldest first. */
export const SnapshotIndex = z.object({ days: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)) });
export type SnapshotIndex = z.infer<typeof SnapshotIndex>;

export class DataError extends Error {
  override readonly name = 'DataError';
}

function describe(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return 'invalid data';
  const path = first.path.length > 0 ? first.path.join('.') : '(root)';
  return `${path}: ${first.message}`;
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown, file: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new DataError(`${file} is not valid: ${describe(result.error)}`);
  return result.data;
}

export function parseLeaderboard(value: unknown): LeaderboardFile {
  const meta = parseWith(LeaderboardMeta, value, 'leaderboard.json');
  const hasBoard = typeof value === 'object' && value !== null && 'entries' in value;
  return { meta, board: hasBoard ? parseWith(BoardFile, value, 'leaderboard.json') : undefined };
}

export function parseBoard(value: unknown, file: string): BoardFile {
  return parseWith(BoardFile, value, file);
}

export function parseTeamHistory(value: unknown, file: string): TeamHistory {
  return parseWith(TeamHistory, value, file);
}

export function parseSnapshotIndex(value: unknown): SnapshotIndex {
  return parseWith(SnapshotIndex, value, 'snapshots/index.json');
}

/** A team id from a URL is only ever used as a file name once it passes the shared id rule. */
export function isTeamId(value: string): boolean {
  return TeamId.safeParse(value).success;
}

/** Paths relative to the page, so the site works at the distribution root and under a prefix alike. */
export const dataPaths = {
  leaderboard: () => 'data/leaderboard.json',
  board: (split: 'public' | 'private', category: string | null) =>
    `data/boards/${split}/${encodeURIComponent(category ?? 'overall')}.json`,
  team: (team: string) => `data/teams/${encodeURIComponent(team)}.json`,
  battles: () => 'data/battles.jsonl',
  ratings: () => 'data/ratings.json',
  snapshotIndex: () => 'data/snapshots/index.json',
} as const;
