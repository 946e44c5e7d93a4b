import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from 'cognito-local/lib/server/config.js';
import { Router } from 'cognito-local/lib/server/Router.js';
import { createServer } from 'cognito-local/lib/server/server.js';
import { DateClock } from 'cognito-local/lib/services/clock.js';
import { CognitoServiceFactoryImpl } from 'cognito-local/lib/services/cognitoService.js';
import { StormDBDataStoreFactory } from 'cognito-local/lib/services/dataStore/stormDb.js';
import type { Services } from 'cognito-local/lib/services/index.js';
import { MessageDeliveryService } from 'cognito-local/lib/services/messageDelivery/messageDelivery.js';
import type { MessageSender } from 'cognito-local/lib/services/messageDelivery/messageSender.js';
import { MessagesService } from 'cognito-local/lib/services/messages.js';
import { otp } from 'cognito-local/lib/services/otp.js';
import { JwtTokenGenerator } from 'cognito-local/lib/services/tokenGenerator.js';
import type { Triggers } from 'cognito-local/lib/services/triggers/index.js';
import { UserPoolServiceFactoryImpl } from 'cognito-local/lib/services/userPoolService.js';
import * as z from 'zod';

/** The Node inspector's default port, and cognito-local's: the two cannot share it. */
const INSPECTOR_PORT = 9229;

export const LocalCognitoOptions = z.strictObject({
  /** 0 = any free port (the kernel's ephemeral range never includes 9229). */
  port: z
    .number()
    .int()
    .min(0)
    .max(65_535)
    .refine((port) => port !== INSPECTOR_PORT, {
      message: `port ${INSPECTOR_PORT} is the Node inspector's: pick another, or 0 for any free port`,
    })
    .default(0),
  /** Where pools, clients and users live (JSON files); default a fresh temporary directory, removed on close. */
  directory: z.string().min(1).optional(),
});
export type LocalCognitoOptions = z.input<typeof LocalCognitoOptions>;

/**
 * A message Cognito would have sent. cognito-local sends none: the welcome e-mail of AdminCreateUser
 * (whose code is the temporary password), sign-up and reset codes land here instead.
 */
export interface LocalCognitoMessage {
  readonly medium: 'EMAIL' | 'SMS';
  readonly destination: string;
  /** The user's internal user name (a uuid in a pool whose user names are e-mail addresses). */
  readonly username: string;
  /** The temporary password or the confirmation code. */
  readonly code: string | undefined;
}

export interface LocalCognito {
  /** `http://127.0.0.1:PORT`: the `endpoint` of a `CognitoIdentityProviderClient`, and the issuer's origin. */
  readonly endpoint: string;
  readonly port: number;
  readonly directory: string;
  /** Messages "sent" since start, oldest first. */
  readonly outbox: readonly LocalCognitoMessage[];
  /** The `iss` of the tokens of a pool: `http://127.0.0.1:PORT/<userPoolId>`. */
  issuer(userPoolId: string): string;
  /** Stops listening, drops open connections and removes the temporary directory, if it made one. */
  close(): Promise<void>;
}

/**
 * The logger cognito-local's server wants: pino, from cognito-local's own dependencies (pino-http
 * needs a real one). Resolved next to cognito-local, so that the League does not depend on pino.
 */
type CognitoLocalLogger = Parameters<typeof createServer>[1];
const requireFromCognitoLocal = createRequire(createRequire(import.meta.url).resolve('cognito-local'));
const pino = requireFromCognitoLocal('pino') as (options: { level: string }) => CognitoLocalLogger;

/**
 * Starts cognito-local 5.3 in-process on 127.0.0.1. Its `createDefaultServer` is not used: it keeps
 * its data in `./.cognito` of the working directory, reads port and host from the environment when
 * first imported and sets the tokens' issuer before the port is known. This composes the same
 * services (cognito-local's router, user pools, RS256 token generator, StormDB files) with a data
 * directory of our choosing, the issuer taken from the port actually bound, no Lambda triggers,
 * and an outbox instead of printing messages on the console.
 */
export async function startLocalCognito(options: LocalCognitoOptions = {}): Promise<LocalCognito> {
  const config = LocalCognitoOptions.parse(options);
  const ownsDirectory = config.directory === undefined;
  const directory = config.directory ?? (await mkdtemp(join(tmpdir(), 'league-cognito-')));
  await mkdir(directory, { recursive: true });

  let endpoint = '';
  // Read when a token is signed, after the server is listening: the issuer needs the bound port.
  const tokenConfig = {
    get IssuerDomain() {
      return endpoint;
    },
  };
  const cognitoConfig: Config = {
    LambdaClient: {},
    TriggerFunctions: {},
    // No cognito-local defaults (it makes every pool's user names e-mail addresses): a pool is what
    // CreateUserPool asks for, as on AWS.
    UserPoolDefaults: {},
    TokenConfig: tokenConfig,
    ServerConfig: { port: config.port, hostname: '127.0.0.1', development: false, https: false },
  };
  const logger = pino({ level: 'silent' });
  const ctx = { logger };
  const clock = new DateClock();
  const dataStoreFactory = new StormDBDataStoreFactory(directory);
  const cognito = await new CognitoServiceFactoryImpl(
    directory,
    dataStoreFactory,
    new UserPoolServiceFactoryImpl(clock, dataStoreFactory),
  ).create(ctx, cognitoConfig.UserPoolDefaults);

  const outbox: LocalCognitoMessage[] = [];
  const sender: MessageSender = {
    sendEmail: async (_ctx, user, destination, message) => {
      outbox.push({ medium: 'EMAIL', destination, username: user.Username, code: message.__code });
    },
    sendSms: async (_ctx, user, destination, message) => {
      outbox.push({ medium: 'SMS', destination, username: user.Username, code: message.__code });
    },
  };
  const triggers = noTriggers();
  const services: Services = {
    clock,
    cognito,
    config: cognitoConfig,
    messages: new MessagesService(triggers, new MessageDeliveryService(sender)),
    otp,
    tokenGenerator: new JwtTokenGenerator(clock, triggers, tokenConfig),
    triggers,
  };
  const server = await createServer(Router(services), logger, cognitoConfig.ServerConfig, services).start();
  const { port } = server.address() as AddressInfo;
  endpoint = `http://127.0.0.1:${port}`;

  let closing: Promise<void> | undefined;
  return {
    endpoint,
    port,
    directory,
    outbox,
    issuer: (userPoolId) => `${endpoint}/${userPoolId}`,
    close: () => {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await stopped;
        if (ownsDirectory) await rm(directory, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}

/** The local stack runs no Cognito Lambda triggers: `enabled` is always false, so none is ever called. */
function noTriggers(): Triggers {
  const none = () => Promise.reject(new Error('the local Cognito runs no Lambda triggers'));
  return {
    enabled: () => false,
    customMessage: none,
    customEmailSender: none,
    postAuthentication: none,
    postConfirmation: none,
    preSignUp: none,
    preTokenGeneration: none,
    userMigration: none,
  };
}
