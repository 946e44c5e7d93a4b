import type { ObjectStore } from '../../shared/storage/object-store.js';
import { validateTestingData } from '../validation/index.js';
import type { ValidationReport } from '../validation/report.js';
import { testingDataKeys } from './testing-data.js';

export interface ValidateUploadDeps {
  /** Streams the uploaded object (never loads it whole). */
  readonly openUpload: (key: string) => Promise<AsyncIterable<Uint8Array>>;
  readonly state: ObjectStore;
  /** Copies the upload, once valid, to the validated bucket. */
  readonly copyToValidated: (fromKey: string, toKey: string) => Promise<void>;
  readonly maxBytes: number;
  readonly maxRecords: number;
}

/**
 * The validator Lambda's use case: stream the upload through the same rules as `league validate`,
 * store the report, and copy a valid file to the validated bucket. An invalid file is never copied,
 * so nothing downstream can use it.
 */
export async function validateUpload(
  key: string,
  deps: ValidateUploadDeps,
): Promise<ValidationReport | undefined> {
  const match = /^uploads\/(td-[A-Za-z0-9_-]{12})\/data\.jsonl$/.exec(key);
  const testingDataId = match?.[1];
  if (!testingDataId) return undefined; // not an upload made through the API
  const report = await validateTestingData(await deps.openUpload(key), {
    maxBytes: deps.maxBytes,
    maxRecords: deps.maxRecords,
  });
  if (report.valid) await deps.copyToValidated(key, testingDataKeys.validated(testingDataId));
  await deps.state.put(testingDataKeys.report(testingDataId), JSON.stringify(report), {
    contentType: 'application/json',
  });
  return report;
}
