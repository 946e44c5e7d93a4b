/**
 * The web apps' Content-Security-Policy: only their own scripts and styles, no inline code, no
 * framing; `connectSrc` lists where the app may fetch from besides itself. The same policy is sent
 * by CloudFront in AWS and by the local gateway, so the browser tests hold the apps to it.
 * Free of aws-cdk-lib so the local stack can import it cheaply.
 */
export function webAppContentSecurityPolicy(connectSrc: readonly string[] = []): string {
  const connect = ["'self'", ...connectSrc].join(' ');
  return `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src ${connect}; frame-ancestors 'none'`;
}
