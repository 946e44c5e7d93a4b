/**
 * Endpoint overrides for the local stack: `LOCAL_S3_ENDPOINT`, `LOCAL_SQS_ENDPOINT`,
 * `LOCAL_LAMBDA_ENDPOINT`, `LOCAL_BEDROCK_ENDPOINT`. Unset on AWS, where the SDK's defaults apply;
 * the handlers and clients are the same either way.
 */
export type LocalService = 'S3' | 'SQS' | 'LAMBDA' | 'BEDROCK' | 'STS' | 'COGNITO';

export function localEndpoint(service: LocalService): string | undefined {
  return process.env[`LOCAL_${service}_ENDPOINT`] || undefined;
}

/** Client config for a service: the local endpoint (and placeholder credentials) when one is set. */
export function clientConfig(service: LocalService): {
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
} {
  const endpoint = localEndpoint(service);
  return endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {};
}
