import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import * as z from 'zod';
import { HttpError, Invalid, NotFound, TooManyRequests, UnsupportedMediaType } from './errors.js';
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

/** `application/json` or a `+json` type, any parameters (charset). */
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;

function headerValue(event: APIGatewayProxyEvent, name: string): string | undefined {
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === name && value !== undefined) return value;
  }
  return undefined;
}

function refusal(what: string, error: z.ZodError): Invalid {
  return new Invalid(
    `the ${what} is not valid`,
    error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
  );
}

/**
 * Parses a JSON body with a schema; a failure says which field and why. A body that does not say it
 * is JSON (`Content-Type`) is refused with 415 rather than guessed at.
 */
export function parseBody<S extends z.ZodType>(event: APIGatewayProxyEvent, schema: S): z.output<S> {
  const contentType = headerValue(event, 'content-type');
  if (contentType === undefined || !JSON_MEDIA_TYPE.test(contentType)) {
    throw new UnsupportedMediaType(
      `the request body must be JSON, sent with Content-Type: application/json (got ${contentType === undefined ? 'no Content-Type' : JSON.stringify(contentType)})`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(event.body ?? '');
  } catch {
    throw new Invalid('the request body is not valid JSON');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw refusal('request body', parsed.error);
  return parsed.data;
}

/** No parameters: anything present is refused, so a route can never be reached with a stray one. */
const NONE = z.strictObject({});

/** What a route declares it takes; each part it leaves out must be absent. */
export interface RouteSchemas<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  readonly path?: P;
  readonly query?: Q;
  readonly body?: B;
}

export interface RouteRequest<P, Q, B> {
  readonly path: P;
  readonly query: Q;
  readonly body: B;
  readonly event: APIGatewayProxyEvent;
  readonly context: Context;
}

export type Route = (event: APIGatewayProxyEvent, context: Context) => Promise<HttpResponse>;

/**
 * One route: its path parameters, query parameters and JSON body each parsed with a zod schema
 * before the use case runs (an undeclared part must be absent or empty), so an id in a URL is held
 * to the same rules as the same id in a body.
 */
export function route<
  P extends z.ZodType = typeof NONE,
  Q extends z.ZodType = typeof NONE,
  B extends z.ZodType = z.ZodUndefined,
>(
  schemas: RouteSchemas<P, Q, B>,
  handle: (request: RouteRequest<z.output<P>, z.output<Q>, z.output<B>>) => Promise<HttpResponse>,
): Route {
  return async (event, context) => {
    const path = (schemas.path ?? NONE).safeParse(event.pathParameters ?? {});
    if (!path.success) throw refusal('path', path.error);
    const query = (schemas.query ?? NONE).safeParse(event.queryStringParameters ?? {});
    if (!query.success) throw refusal('query string', query.error);
    const body = schemas.body === undefined ? undefined : parseBody(event, schemas.body);
    return handle({ path: path.data, query: query.data, body, event, context } as RouteRequest<
      z.output<P>,
      z.output<Q>,
      z.output<B>
    >);
  };
}

/** The HTTP handler for a table of routes keyed `METHOD /resource`, as API Gateway names them. */
export function httpRoutes(routes: Readonly<Record<string, Route>>) {
  return httpHandler(async (event, context) => {
    const key = `${event.httpMethod} ${event.resource}`;
    const found = Object.hasOwn(routes, key) ? routes[key] : undefined;
    if (!found) throw new NotFound(`no route ${key}`);
    return found(event, context);
  });
}
