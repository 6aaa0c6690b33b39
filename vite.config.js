// Builds the static page from www/ into www/dist; the engine comes from ../pkg (wasm-bindgen output).
import { defineConfig } from 'vite';

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
  preview: { host: '127.0.0.1', port: 8080, strictPort: false },
});
