import * as z from 'zod';

/** Ids that travel in keys, URLs and file names: a strict, printable alphabet. */
export const RecordId = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be 1–128 characters of A–Z a–z 0–9 . _ : -');

/** A team id doubles as an S3 key segment and a URL path segment. */
export const TeamId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lowercase letters, digits and dashes');

export const IsoDateTime = z.iso.datetime({ offset: true });

export const Split = z.enum(['public', 'private']);
export type Split = z.infer<typeof Split>;

export const ScoringMode = z.enum(['pairwise-reference', 'rubric', 'arena']);
export type ScoringMode = z.infer<typeof ScoringMode>;

/** A JSON number that is finite: NaN and ±Infinity never reach a file. */
export const FiniteNumber = z.number().refine(Number.isFinite, 'must be a finite number');
