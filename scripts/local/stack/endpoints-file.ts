import { join } from 'node:path';
import * as z from 'zod';

/**
 * What a running local stack writes to `<data dir>/endpoints.json` (and removes when it stops), so
 * the `league` CLI can reach it: its region, its Lambda and S3 endpoints, and the function names.
 */
export const EndpointsFile = z.object({
  region: z.string(),
  lambda: z.string(),
  s3: z.string(),
  dailySnapshotFunction: z.string(),
});
export type EndpointsFile = z.infer<typeof EndpointsFile>;

export const endpointsFilePath = (dataDir: string): string => join(dataDir, 'endpoints.json');
