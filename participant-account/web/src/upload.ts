import type { UploadTicket } from './api-types.js';

/** The content type the upload policy is asked for, from the file's name (browsers leave `.jsonl` blank). */
export function uploadContentType(
  fileName: string,
): 'application/x-ndjson' | 'application/json' | 'text/plain' {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'application/x-ndjson';
  if (lower.endsWith('.json')) return 'application/json';
  return 'text/plain';
}

/** Files the drop zone refuses before anything is sent, with why; undefined when it may go. */
export function precheckFile(file: { readonly name: string; readonly size: number }): string | undefined {
  if (file.size === 0) return `${file.name} is empty: a testing-data file has one JSON record per line.`;
  if (!/\.(jsonl|ndjson|json|txt)$/i.test(file.name))
    return `${file.name} is not a JSONL file: choose a .jsonl file with one {"id", "prompt"} record per line.`;
  return undefined;
}

/** The form a presigned POST expects: its fields in order, the file last (S3 ignores fields after it). */
export function uploadForm(ticket: UploadTicket, file: Blob, fileName: string): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(ticket.fields)) form.append(name, value);
  form.append('file', file, fileName);
  return form;
}

/** S3's error XML, as one sentence (`<Code>`: `<Message>`). */
export function s3ErrorMessage(status: number, xml: string): string {
  const code = /<Code>([^<]*)<\/Code>/.exec(xml)?.[1];
  const message = /<Message>([^<]*)<\/Message>/.exec(xml)?.[1];
  if (code === 'EntityTooLarge') return 'The file is larger than the upload limit.';
  if (code === 'AccessDenied' && message && /expired/i.test(message))
    return 'The upload link expired before the file was sent; try again.';
  if (code || message) return `The upload was refused (${code ?? status}): ${message ?? 'no reason given'}`;
  return `The upload failed (HTTP ${status}).`;
}

/**
 * POSTs the file straight to S3 with the presigned form; `onProgress` gets the share sent (0–1).
 * XMLHttpRequest, because fetch cannot report upload progress.
 */
export function postToS3(
  ticket: UploadTicket,
  file: Blob,
  fileName: string,
  onProgress: (share: number) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', ticket.url);
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    request.addEventListener('load', () => {
      if (request.status >= 200 && request.status < 300) resolve();
      else reject(new Error(s3ErrorMessage(request.status, request.responseText)));
    });
    request.addEventListener('error', () =>
      reject(new Error('The upload could not reach storage; check your connection and try again.')),
    );
    request.send(uploadForm(ticket, file, fileName));
  });
}
