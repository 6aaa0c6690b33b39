// Builds the static page from www/ into www/dist; the engine comes from ../pkg (wasm-bindgen output).
// `vite preview` (./scripts/serve, the end-to-end tests) sends the headers of www/public/_headers,
// the file static hosts read: one list of security headers for both.
import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';

/** The `Name: value` lines of a _headers file (every rule there is for all paths, `/*`). */
function staticHeaders(path) {
  const lines = readFileSync(new URL(path, import.meta.url), 'utf8').split('\n');
  return Object.fromEntries(
    lines
      .filter((line) => /^\s+[\w-]+: /.test(line))
      .map((line) =>
        line
          .trim()
          .split(/: (.*)/s)
          .slice(0, 2),
      ),
  );
}

export default defineConfig({
  root: 'www',
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: { input: { main: 'www/index.html', bench: 'www/bench.html' } },
  },
  worker: { format: 'es' },
  server: { host: '127.0.0.1', fs: { allow: ['..'] } },
  preview: { host: '127.0.0.1', port: 8080, strictPort: false, headers: staticHeaders('./www/public/_headers') },
});
