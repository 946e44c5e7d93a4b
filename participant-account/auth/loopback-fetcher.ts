import { NonRetryableFetchError } from 'aws-jwt-verify/error';
import { type Fetcher, SimpleFetcher } from 'aws-jwt-verify/https';

/** How long the local JWKS may take to answer: it is on this machine. */
const LOOPBACK_TIMEOUT_MS = 3000;

/** `localhost`, `127.0.0.0/8` and `[::1]`: hosts that never leave the machine. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/**
 * aws-jwt-verify's fetcher (HTTPS only), plus plain HTTP for a loopback host, which is where the
 * local stack's Cognito serves its JWKS. HTTP to any other host is refused: a JWKS fetched in the
 * clear could be swapped for the attacker's keys.
 */
export class LoopbackHttpFetcher implements Fetcher {
  private readonly https = new SimpleFetcher();

  async fetch(
    uri: string,
    requestOptions?: Record<string, unknown>,
    data?: ArrayBuffer,
  ): Promise<ArrayBuffer> {
    const url = new URL(uri);
    if (url.protocol === 'https:') return this.https.fetch(uri, requestOptions, data);
    if (url.protocol !== 'http:' || !isLoopbackHost(url.hostname)) {
      throw new NonRetryableFetchError(uri, 'plain HTTP is allowed for a loopback host only');
    }
    const response = await globalThis.fetch(url, { signal: AbortSignal.timeout(LOOPBACK_TIMEOUT_MS) });
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new NonRetryableFetchError(uri, `Status code is ${response.status}, expected 200`);
    }
    return response.arrayBuffer();
  }
}
