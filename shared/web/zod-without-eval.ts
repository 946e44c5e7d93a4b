import * as z from 'zod';

/**
 * Zod compiles object parsers with `new Function` unless told not to, and its probe for `eval` runs
 * when the first object schema is built. The web apps' CSP has no `'unsafe-eval'`, so that probe
 * is reported as a violation on every page load even though Zod catches it. Imported first by each
 * app's `main.ts`, before any schema module runs.
 */
z.config({ jitless: true });
