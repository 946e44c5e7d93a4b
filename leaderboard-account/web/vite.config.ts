import { defineConfig } from 'vite';

const root = import.meta.dirname;

/**
 * The public leaderboard site. It is static: the built `dist/` goes to the site bucket beside the
 * published `data/`. In development `fixtures/` stands in for that bucket (served at `/data/...`);
 * it is never copied into a build.
 */
export default defineConfig(({ command }) => ({
  root,
  base: './',
  publicDir: command === 'serve' ? 'fixtures' : false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No inline module preload polyfill or inlined assets: the CSP allows only the site's own files.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: true,
  },
}));
