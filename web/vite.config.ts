import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const api = process.env.PULSEBOARD_API ?? 'http://127.0.0.1:4000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: {
    // `npm run dev`: the console on Vite, the API proxied to the server
    proxy: {
      '/graphql': { target: api, changeOrigin: false },
      '/health': api,
      '/ready': api,
    },
  },
});
