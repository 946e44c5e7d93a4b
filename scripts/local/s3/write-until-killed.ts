/**
 * For the crash tests of the local S3: starts it on the directory given and writes objects to it,
 * one at a time, until the process is killed. Before each write it prints `send <key> <version>`,
 * after S3 acknowledged it `ack <key> <version>`. Bodies are JSON naming their key and version,
 * padded to a size drawn from the seed, so that a kill often lands in the middle of one.
 *
 *   node --import tsx scripts/local/s3/write-until-killed.ts <directory> <seed>
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createRandom } from '../../../leaderboard-account/ranking/prng.js';
import { startLocalS3 } from './local-s3.js';

const CRASH_BUCKET = 'league-state';
/** Overwritten again and again (the board, an evaluation); and new keys, as judgments are. */
const OVERWRITTEN_KEYS = ['state/board.json', 'evaluations/lynx/a.json', 'caps/lynx/day.json'];

const [directory, seedText] = process.argv.slice(2);
if (directory === undefined || seedText === undefined) {
  console.error('usage: write-until-killed.ts <directory> <seed>');
  process.exit(2);
}
const random = createRandom(Number(seedText));
const s3 = await startLocalS3({ directory, buckets: [{ name: CRASH_BUCKET }] });
const client = new S3Client({
  region: 'us-east-1',
  endpoint: s3.endpoint,
  forcePathStyle: true,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
console.log(`ready ${s3.recovered.discarded.length} ${s3.recovered.rolledForward}`);
for (let version = 1; ; version++) {
  const key =
    random.nextInt(3) === 0
      ? `judgments/lynx/${seedText}/${version}.json`
      : (OVERWRITTEN_KEYS[random.nextInt(OVERWRITTEN_KEYS.length)] ?? '');
  const body = JSON.stringify({ key, version, padding: 'x'.repeat(random.nextInt(2_000_000)) });
  console.log(`send ${key} ${version}`);
  await client.send(
    new PutObjectCommand({ Bucket: CRASH_BUCKET, Key: key, Body: body, ContentType: 'application/json' }),
  );
  console.log(`ack ${key} ${version}`);
}
