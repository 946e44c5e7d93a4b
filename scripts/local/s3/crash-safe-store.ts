import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, type Dirent } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { S3rverObjectMetadata } from 's3rver';
import S3Object from 's3rver/lib/models/object.js';
import FilesystemStore, { type S3rverStoredObject } from 's3rver/lib/stores/filesystem.js';

/**
 * s3rver 3.7's filesystem store, made crash-safe. s3rver keeps an object as three files,
 * `<key>._S3rver_object` (the body), `<key>._S3rver_object.md5` (its ETag) and
 * `<key>._S3rver_metadata.json`, and writes each in place: a process killed half-way leaves a
 * truncated body under the old ETag, or a truncated metadata file that fails every listing of its
 * prefix with a 500 from then on.
 *
 * Here no file of an object is ever written in place. A write stages every file it changes under a
 * temporary name (`<file>.<write id>.tmp`), then commits: it creates an empty marker
 * `<key>._S3rver_commit.<write id>` (the commit point), renames each staged file over its final
 * name, and removes the marker. Only rename(2) and the creation of a name are atomic on POSIX, and
 * each only for one file, so the three renames together are not; the marker is what makes them one
 * step: at start, {@link CrashSafeStore.recover} renames into place what a committed write had not
 * renamed yet (roll forward), and removes what an uncommitted one had staged (roll back: that write
 * was never acknowledged, so it never happened). A new object's body is renamed last, so a listing
 * sees it only whole. Readers in this process never see a write half-way either: the front holds
 * the key's lock across the commit, and a GET reads a body through an open file whose inode a
 * rename does not change.
 *
 * No fsync: a killed process loses nothing the kernel has (its page cache outlives the process),
 * which is the crash a local stack has; surviving a power cut would take an fsync of every file and
 * directory, a cost this store does not pay. POSIX paths only (s3rver's Windows key encoding is
 * not handled), which is where the local stack runs.
 */
export class CrashSafeStore extends FilesystemStore {
  /**
   * Makes the directory whole again after a crash, before anything reads it: finishes committed
   * writes, drops uncommitted ones, and discards every object that is not whole (a body without
   * its metadata or MD5, metadata without a body, metadata that does not parse, a body whose MD5
   * is not the one recorded: what a crash of s3rver's own store leaves). A discarded object was
   * never acknowledged whole, so discarding it is what S3 would show. Also drops unreadable bucket
   * configurations (the start writes them again) and multipart uploads whose start was cut short.
   */
  async recover(): Promise<RecoveryReport> {
    const report: RecoveryReport = { rolledForward: 0, rolledBack: 0, discarded: [], repaired: [] };
    for (const bucket of await entries(this.rootDirectory)) {
      if (bucket.isDirectory()) await this.recoverDirectory(bucket.name, '', report);
    }
    return report;
  }

  /**
   * The keys of the objects in `bucket` under `prefix` that sort after `startAfter`, unordered:
   * only the names of their bodies are read, so a listing costs one directory read per directory.
   */
  async listKeys(bucket: string, prefix: string, startAfter: string): Promise<string[]> {
    const keys: string[] = [];
    const visit = async (relativeDirectory: string): Promise<void> => {
      for (const entry of await entries(join(this.getBucketPath(bucket), relativeDirectory))) {
        const name = `${relativeDirectory}${entry.name}`;
        if (entry.isDirectory()) {
          const directoryPrefix = `${name}/`;
          // Only directories that can hold a key under the prefix.
          if (directoryPrefix.startsWith(prefix) || prefix.startsWith(directoryPrefix)) {
            if (name !== UPLOADS) await visit(directoryPrefix);
          }
        } else if (entry.name.endsWith(BODY)) {
          const key = name.slice(0, -BODY.length);
          if (key.startsWith(prefix) && key > startAfter) keys.push(key);
        }
      }
    };
    await visit('');
    return keys;
  }

  /**
   * s3rver's, except that it never writes: s3rver creates a missing `.md5` file on a read, in
   * place. Rejects with ENOENT unless the body and its metadata are both there.
   */
  override async getMetadata(bucket: string, key: string): Promise<S3rverObjectMetadata> {
    const bodyPath = this.getResourcePath(bucket, key, 'object');
    const body = await stat(bodyPath);
    const [stored, md5] = await Promise.all([
      readFile(this.getResourcePath(bucket, key, 'metadata.json'), 'utf8').then(
        (text) => JSON.parse(text) as Record<string, string>,
      ),
      readFile(this.getResourcePath(bucket, key, 'object.md5'), 'utf8').catch((error: unknown) => {
        if (!isMissing(error)) throw error;
        return md5Of(bodyPath);
      }),
    ]);
    return {
      ...stored,
      etag: JSON.stringify(md5),
      'last-modified': body.mtime.toUTCString(),
      'content-length': body.size,
    };
  }

  override async putObject(object: S3rverStoredObject): Promise<{ size: number; md5: string }> {
    const paths = this.objectPaths(object.bucket, object.key);
    const write = new StagedWrite(paths.commit);
    // Renamed in this order: a new object's body last, so that it shows only whole.
    const md5Staged = write.stage(paths.md5);
    const metadataStaged = write.stage(paths.metadata);
    const bodyStaged = write.stage(paths.body);
    try {
      const written = await writeBody(bodyStaged, object.content);
      await writeFile(md5Staged, written.md5);
      await writeFile(metadataStaged, storedMetadataJson(object.metadata));
      await write.commit();
      return written;
    } catch (error) {
      await write.abandon();
      throw error;
    }
  }

  override async copyObject(
    srcBucket: string,
    srcKey: string,
    destBucket: string,
    destKey: string,
    replacementMetadata: Readonly<Record<string, string | number | undefined>> | null,
  ): Promise<S3rverObjectMetadata> {
    const source = this.objectPaths(srcBucket, srcKey);
    const destination = this.objectPaths(destBucket, destKey);
    const write = new StagedWrite(destination.commit);
    try {
      const metadata = replacementMetadata
        ? storedMetadataJson(replacementMetadata)
        : await readFile(source.metadata, 'utf8');
      if (source.body === destination.body) {
        // A copy onto itself replaces the metadata only.
        await writeFile(write.stage(destination.metadata), metadata);
      } else {
        const md5Staged = write.stage(destination.md5);
        const metadataStaged = write.stage(destination.metadata);
        const bodyStaged = write.stage(destination.body);
        // The ETag from the bytes copied, so it describes this body whatever the source's files say.
        const { md5 } = await writeBody(bodyStaged, createReadStream(source.body));
        await writeFile(md5Staged, md5);
        await writeFile(metadataStaged, metadata);
      }
      await write.commit();
    } catch (error) {
      await write.abandon();
      throw error;
    }
    return this.getMetadata(destBucket, destKey);
  }

  /** The body goes first, so the object is gone at once; metadata left by a crash is dropped at start. */
  override async deleteObject(bucket: string, key: string): Promise<void> {
    const paths = this.objectPaths(bucket, key);
    for (const path of [paths.body, paths.md5, paths.metadata]) await rm(path, { force: true });
    // Empty directories go, as s3rver's do; one that a concurrent write has just filled stays.
    const bucketPath = this.getBucketPath(bucket);
    const parts = key.split('/').slice(0, -1);
    while (parts.length > 0) {
      try {
        await rmdir(join(bucketPath, ...parts));
      } catch (error) {
        if (isErrno(error, 'ENOTEMPTY', 'ENOENT', 'EEXIST')) return;
        throw error;
      }
      parts.pop();
    }
  }

  /** s3rver's, with each file written whole: an upload whose start was cut short is dropped at start. */
  override async initiateUpload(
    bucket: string,
    key: string,
    uploadId: string,
    metadata: Readonly<Record<string, unknown>>,
  ): Promise<void> {
    const uploadDirectory = join(this.getResourcePath(bucket, undefined, 'uploads'), uploadId);
    await mkdir(uploadDirectory, { recursive: true });
    await writeWhole(join(uploadDirectory, 'metadata'), JSON.stringify(metadata));
    // Its key last: an upload directory without a key is one whose start did not finish.
    await writeWhole(join(uploadDirectory, 'key'), key);
  }

  override async putPart(
    bucket: string,
    uploadId: string,
    partNumber: number,
    content: Readable,
  ): Promise<{ size: number; md5: string }> {
    const partPath = join(this.getResourcePath(bucket, undefined, 'uploads'), uploadId, String(partNumber));
    const staged = `${partPath}.${randomUUID()}${TEMPORARY}`;
    try {
      const written = await writeBody(staged, content);
      await writeWhole(`${partPath}.md5`, written.md5);
      await rename(staged, partPath);
      return written;
    } catch (error) {
      await rm(staged, { force: true });
      throw error;
    }
  }

  override async putSubresource(
    bucket: string,
    key: string | undefined,
    resource: { readonly type: string; toXML(space?: number): string },
  ): Promise<void> {
    await writeWhole(this.getResourcePath(bucket, key, `${resource.type}.xml`), resource.toXML(2));
  }

  private objectPaths(bucket: string, key: string) {
    return {
      body: this.getResourcePath(bucket, key, 'object'),
      md5: this.getResourcePath(bucket, key, 'object.md5'),
      metadata: this.getResourcePath(bucket, key, 'metadata.json'),
      commit: this.getResourcePath(bucket, key, 'commit'),
    };
  }

  /** One directory of `bucket` (`relativeDirectory` is '' or ends with '/'), then those below it. */
  private async recoverDirectory(bucket: string, relativeDirectory: string, report: RecoveryReport) {
    const directory = join(this.getBucketPath(bucket), relativeDirectory);
    let names = (await entries(directory)).filter((entry) => !entry.isDirectory()).map((e) => e.name);

    // Roll forward every write that reached its commit point, then roll back every other one.
    for (const name of names) {
      const id = COMMIT_MARKER.exec(name)?.[1];
      if (id === undefined) continue;
      const suffix = `.${id}${TEMPORARY}`;
      for (const staged of names.filter((other) => other.endsWith(suffix))) {
        await rename(join(directory, staged), join(directory, staged.slice(0, -suffix.length)));
      }
      await unlink(join(directory, name));
      report.rolledForward += 1;
    }
    names = (await entries(directory)).filter((entry) => !entry.isDirectory()).map((e) => e.name);
    for (const name of names.filter((n) => STAGED.test(n))) {
      await unlink(join(directory, name));
      report.rolledBack += 1;
    }
    names = names.filter((n) => !STAGED.test(n));

    // Then every object must be whole: its three files, readable and agreeing.
    const objectNames = new Set<string>();
    for (const name of names) {
      for (const suffix of [MD5, BODY, METADATA]) {
        if (name.endsWith(suffix)) {
          objectNames.add(name.slice(0, -suffix.length));
          break;
        }
      }
    }
    for (const objectName of objectNames) {
      const key = `${relativeDirectory}${objectName}`;
      const paths = this.objectPaths(bucket, key);
      const state = await objectState(paths);
      if (state === 'whole') continue;
      if (state === 'md5 missing') {
        await writeWhole(paths.md5, await md5Of(paths.body));
        report.repaired.push(`${bucket}/${key}`);
        continue;
      }
      for (const path of [paths.body, paths.md5, paths.metadata]) await rm(path, { force: true });
      report.discarded.push(`${bucket}/${key}`);
    }

    // Subresources (a bucket's CORS configuration, an object's tags) that do not parse are dropped.
    for (const name of names) {
      const [, objectName, type] = SUBRESOURCE.exec(name) ?? [];
      if (objectName === undefined || type === undefined) continue;
      try {
        await this.getSubresource(bucket, `${relativeDirectory}${objectName}`, type);
      } catch {
        await rm(join(directory, name), { force: true });
        report.discarded.push(`${bucket}/${relativeDirectory}${name}`);
      }
    }

    for (const entry of await entries(directory)) {
      if (!entry.isDirectory()) continue;
      if (relativeDirectory === '' && entry.name === UPLOADS) {
        await recoverUploads(join(directory, entry.name), report);
      } else {
        await this.recoverDirectory(bucket, `${relativeDirectory}${entry.name}/`, report);
      }
    }
  }
}

export interface RecoveryReport {
  /** Committed writes finished. */
  rolledForward: number;
  /** Staged files of uncommitted writes removed. */
  rolledBack: number;
  /** `bucket/key` of every object (or configuration) removed because it was not whole. */
  readonly discarded: string[];
  /** `bucket/key` of objects whose missing MD5 file was written again. */
  readonly repaired: string[];
}

const BODY = '._S3rver_object';
const MD5 = '._S3rver_object.md5';
const METADATA = '._S3rver_metadata.json';
const UPLOADS = '._S3rver_uploads';
const TEMPORARY = '.tmp';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const COMMIT_MARKER = new RegExp(`\\._S3rver_commit\\.(${UUID})$`);
const STAGED = new RegExp(`\\.${UUID}\\${TEMPORARY}$`);
const SUBRESOURCE = /^(.*)\._S3rver_(cors|website|tagging)\.xml$/;

/** The files of one write, staged under temporary names, then committed together (see {@link CrashSafeStore}). */
class StagedWrite {
  private readonly id = randomUUID();
  private readonly files: { readonly staged: string; readonly final: string }[] = [];

  /** `<key>._S3rver_commit`: the marker is this path with the write's id appended. */
  constructor(private readonly commitPath: string) {}

  /** Where to write the new content of `final`; files are renamed in the order they were staged. */
  stage(final: string): string {
    const staged = `${final}.${this.id}${TEMPORARY}`;
    this.files.push({ staged, final });
    return staged;
  }

  async commit(): Promise<void> {
    const marker = `${this.commitPath}.${this.id}`;
    await writeFile(marker, '', { flag: 'wx' });
    for (const file of this.files) await rename(file.staged, file.final);
    await unlink(marker);
  }

  /** Removes what was staged, after a write failed before its commit point. */
  async abandon(): Promise<void> {
    await Promise.all(this.files.map((file) => rm(file.staged, { force: true })));
  }
}

/** Writes a body to a new file at `path` (its directory made if needed), returning its size and MD5. */
async function writeBody(path: string, content: Readable | Buffer): Promise<{ size: number; md5: string }> {
  const hash = createHash('md5');
  let size = 0;
  const handle = await openNew(path);
  if (Buffer.isBuffer(content)) {
    try {
      await handle.writeFile(content);
    } finally {
      await handle.close();
    }
    hash.update(content);
    size = content.length;
  } else {
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        size += chunk.length;
        callback(null, chunk);
      },
    });
    // Resolves once every byte is written and the file closed (s3rver's own resolves when the last
    // byte is read); the stream closes the file however the pipeline ends.
    await pipeline(content, measure, handle.createWriteStream());
  }
  return { size, md5: hash.digest('hex') };
}

/** Creates `path`, and its directory: again if a delete removed the directory meanwhile. */
async function openNew(path: string) {
  for (let attempt = 1; ; attempt++) {
    await mkdir(dirname(path), { recursive: true });
    try {
      return await open(path, 'wx');
    } catch (error) {
      if (!isErrno(error, 'ENOENT') || attempt === 3) throw error;
    }
  }
}

/** A file replaced whole or not at all: written under a temporary name, then renamed over it. */
async function writeWhole(path: string, content: string): Promise<void> {
  const staged = `${path}.${randomUUID()}${TEMPORARY}`;
  try {
    const handle = await openNew(staged);
    try {
      await handle.writeFile(content);
    } finally {
      await handle.close();
    }
    await rename(staged, path);
  } catch (error) {
    await rm(staged, { force: true });
    throw error;
  }
}

/** The metadata s3rver keeps: its system metadata and `x-amz-meta-*`, as s3rver writes it. */
function storedMetadataJson(metadata: Readonly<Record<string, string | number | undefined>>): string {
  const kept = Object.entries(metadata).filter(
    ([name, value]) =>
      value !== undefined && (S3Object.ALLOWED_METADATA.includes(name) || name.startsWith('x-amz-meta-')),
  );
  return JSON.stringify(Object.fromEntries(kept), null, 2);
}

async function objectState(paths: {
  readonly body: string;
  readonly md5: string;
  readonly metadata: string;
}): Promise<'whole' | 'md5 missing' | 'partial'> {
  const [body, metadata, md5] = await Promise.all([
    ifPresent(stat(paths.body)),
    ifPresent(readFile(paths.metadata, 'utf8')),
    ifPresent(readFile(paths.md5, 'utf8')),
  ]);
  if (body === undefined || metadata === undefined || !isJsonObject(metadata)) return 'partial';
  if (md5 === undefined) return 'md5 missing';
  if (!/^[0-9a-f]{32}$/.test(md5) || md5 !== (await md5Of(paths.body))) return 'partial';
  return 'whole';
}

/** What `reading` resolves to, or undefined if the file is not there. */
async function ifPresent<T>(reading: Promise<T>): Promise<T | undefined> {
  try {
    return await reading;
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/** An upload directory needs its key and metadata (written whole, the key last); parts cut short are re-sent. */
async function recoverUploads(uploadsDirectory: string, report: RecoveryReport): Promise<void> {
  for (const upload of await entries(uploadsDirectory)) {
    if (!upload.isDirectory()) continue;
    const directory = join(uploadsDirectory, upload.name);
    for (const name of (await readdir(directory)).filter((n) => STAGED.test(n))) {
      await unlink(join(directory, name));
      report.rolledBack += 1;
    }
    const metadata = await readFile(join(directory, 'metadata'), 'utf8').catch(() => undefined);
    const key = await stat(join(directory, 'key')).catch(() => undefined);
    if (key === undefined || metadata === undefined || !isJsonObject(metadata)) {
      await rm(directory, { recursive: true, force: true });
      report.discarded.push(`upload ${upload.name}`);
    }
  }
}

function isJsonObject(text: string): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

async function md5Of(path: string): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function entries(directory: string): Promise<Dirent[]> {
  try {
    return await readdir(directory, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  return isErrno(error, 'ENOENT');
}

function isErrno(error: unknown, ...codes: string[]): boolean {
  return error instanceof Error && 'code' in error && codes.includes(String(error.code));
}
