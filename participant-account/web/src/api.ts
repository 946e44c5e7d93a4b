import type * as z from 'zod';
import {
  InferenceRun,
  PublicQuestions,
  Submissions,
  SubmitAnswer,
  TestingDataStatus,
  UploadTicket,
} from './api-types.js';

/** A failed API call, with the message the API gave (its `{error, message}` body) or one of ours. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly retryAfter?: string,
  ) {
    super(message);
  }
}

/** The session ran out: the app signs the user out and says so. */
export class SessionExpired extends ApiError {}

export interface ApiTransport {
  /** The ID token for the Authorization header, renewed first when it is about to expire. */
  idToken(): Promise<string>;
  url(path: string): string;
  fetch: typeof fetch;
}

/** The message to show for an error body and status. */
export function apiErrorOf(status: number, body: unknown, retryAfter: string | null): ApiError {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const code = typeof record.error === 'string' ? record.error : `HTTP${status}`;
  const message =
    typeof record.message === 'string' && record.message !== ''
      ? record.message
      : status >= 500
        ? 'The service had a problem; try again in a moment.'
        : `The request failed (HTTP ${status}).`;
  if (status === 401) return new SessionExpired('Your session has expired; sign in again.', status, code);
  return new ApiError(message, status, code, retryAfter ?? undefined);
}

/** The Participant API, as the web app uses it. */
export class ParticipantApi {
  constructor(private readonly transport: ApiTransport) {}

  questions(): Promise<PublicQuestions> {
    return this.request('GET', 'questions', PublicQuestions);
  }

  createUpload(file: { fileName: string; contentType: string; size: number }): Promise<UploadTicket> {
    return this.request('POST', 'testing-data/uploads', UploadTicket, file);
  }

  testingData(testingDataId: string): Promise<TestingDataStatus> {
    return this.request('GET', `testing-data/${encodeURIComponent(testingDataId)}`, TestingDataStatus);
  }

  startRun(testingDataId: string): Promise<InferenceRun> {
    return this.request('POST', 'inference-runs', InferenceRun, { testingDataId });
  }

  run(runId: string): Promise<InferenceRun> {
    return this.request('GET', `inference-runs/${encodeURIComponent(runId)}`, InferenceRun);
  }

  async submit(runId: string, modelName?: string): Promise<{ created: boolean; answer: SubmitAnswer }> {
    const { status, body } = await this.send('POST', 'submissions', {
      runId,
      ...(modelName ? { modelName } : {}),
    });
    return { created: status === 202, answer: parse(SubmitAnswer, body, 'POST submissions') };
  }

  submissions(): Promise<Submissions> {
    return this.request('GET', 'submissions', Submissions);
  }

  private async request<T>(method: string, path: string, schema: z.ZodType<T>, body?: unknown): Promise<T> {
    const answer = await this.send(method, path, body);
    return parse(schema, answer.body, `${method} ${path}`);
  }

  private async send(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: unknown }> {
    const token = await this.transport.idToken();
    let response: Response;
    try {
      response = await this.transport.fetch(this.transport.url(path), {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new ApiError(
        'Cannot reach the Participant API; check your connection and try again.',
        0,
        'Network',
      );
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!response.ok) throw apiErrorOf(response.status, parsed, response.headers.get('retry-after'));
    return { status: response.status, body: parsed };
  }
}

function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new ApiError(`Unexpected answer from ${what}; reload the page.`, 200, 'BadResponse');
  return parsed.data;
}
