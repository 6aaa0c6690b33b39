// Builds the peer benchmark page; TF.js comes from the cache where scripts/bench-peers installed it
// (PEERS_MODULES), so the project's own dependencies stay small.
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'bench/peers',
  base: './',
  resolve: { alias: [{ find: /^@tensorflow\/(.*)$/, replacement: `${process.env.PEERS_MODULES}/@tensorflow/$1` }] },
  // Not minified: TF.js's wasm backend turns a function into its threads' worker script, and minified
  // names from outside that function would be undefined there.
  build: { outDir: process.env.PEERS_OUT, emptyOutDir: true, target: 'es2022', minify: false, chunkSizeWarningLimit: 8000 },
});
