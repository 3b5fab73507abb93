import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The web application: sources in web/, built to dist/web, served by the Lenity server at `/`.
// In development (`npx vite`), API calls go to a server on port 3000.
export default defineConfig({
  root: 'web',
  plugins: [react()],
  build: { outDir: '../dist/web', emptyOutDir: true, chunkSizeWarningLimit: 1024 },
  server: { proxy: { '/v1': 'http://localhost:3000', '/docs': 'http://localhost:3000' } },
});
