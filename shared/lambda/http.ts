import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type * as z from 'zod';
import { HttpError, Invalid, TooManyRequests } from './errors.js';
import { logger } from './logger.js';

export interface HttpResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

/**
 * The one middy stack for every HTTP handler: Powertools logger with the request's correlation id,
 * then the use case, then one error mapper. A typed error becomes its 4xx with `{error, message,
 * details?}`; anything else a 500 whose body never carries a stack or an internal message.
 */
export function httpHandler(
  handle: (event: APIGatewayProxyEvent, context: Context) => Promise<HttpResponse>,
): middy.MiddyfiedHandler<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context> {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(correlationId())
    .use(errorMapper())
    .handler(async (event, context) => toResult(await handle(event, context)));
}

function correlationId(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    before: (request) => {
      const headers = request.event.headers ?? {};
      const fromHeader = headers['x-correlation-id'] ?? headers['X-Correlation-Id'];
      logger.setCorrelationId(
        fromHeader ?? request.event.requestContext?.requestId ?? request.context.awsRequestId,
      );
    },
  };
}

function errorMapper(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    onError: (request) => {
      const error = request.error;
      if (error instanceof HttpError) {
        logger.info('request refused', { status: error.status, error: error.name, message: error.message });
        request.response = toResult({
          status: error.status,
          body: {
            error: error.name,
            message: error.message,
            ...(error.details !== undefined ? { details: error.details } : {}),
          },
          ...(error instanceof TooManyRequests
            ? { headers: { 'retry-after': retryAfterSeconds(error.retryAt) } }
            : {}),
        });
        return;
      }
      logger.error('unhandled error', error as Error);
      request.response = toResult({
        status: 500,
        body: { error: 'InternalError', message: 'Something went wrong on our side.' },
      });
    },
  };
}

// The participant web app's origin (set on its APIs): browsers need it on every response, errors too.
const allowOrigin = process.env.WEB_APP_ORIGIN;

function toResult(response: HttpResponse): APIGatewayProxyResult {
  return {
    statusCode: response.status,
    headers: {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      ...(allowOrigin ? { 'access-control-allow-origin': allowOrigin, vary: 'Origin' } : {}),
      ...response.headers,
    },
    body: JSON.stringify(response.body),
  };
}

function retryAfterSeconds(retryAt: string): string {
  return String(Math.max(1, Math.ceil((Date.parse(retryAt) - Date.now()) / 1000)));
}

/** Parses a JSON body with a schema; a failure says which field and why. */
export function parseBody<S extends z.ZodType>(event: APIGatewayProxyEvent, schema: S): z.output<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(event.body ?? '');
  } catch {
    throw new Invalid('the request body is not valid JSON');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new Invalid(
      'the request body is not valid',
      parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    );
  }
  return parsed.data;
}

export function pathParameter(event: APIGatewayProxyEvent, name: string): string {
  const value = event.pathParameters?.[name];
  if (!value) throw new Invalid(`missing path parameter ${name}`);
  return value;
}
