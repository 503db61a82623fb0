import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// In development `vite` proxies the API to a running Parley server (default port 3000).
const apiTarget = process.env.PARLEY_URL ?? 'http://localhost:3000';

export default defineConfig({
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Never inline assets as data: URIs: the server will send a strict Content-Security-Policy.
    assetsInlineLimit: 0,
  },
  server: {
    proxy: {
      // ws: the inbox's realtime feed (GET /api/inbox/stream) is a WebSocket.
      '/api': { target: apiTarget, changeOrigin: false, ws: true },
    },
  },
});
