import { defineConfig } from 'vite';

const root = import.meta.dirname;

/**
 * The participant web app. Static: the built `dist/` goes to the team's web bucket, beside the
 * `config.json` the participant stack writes at deploy (the local stack serves its own), so one
 * build serves every team.
 */
export default defineConfig({
  root,
  base: './',
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No inline module preload polyfill or inlined assets: the CSP allows only the app's own files.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: true,
  },
});
