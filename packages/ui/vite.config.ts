import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `npm run dev -w packages/ui` serves the UI with hot reload against a Vigil on :9700.
const vigil = 'http://127.0.0.1:9700';
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1000 },
  server: { proxy: { '/api': vigil, '/loki': { target: vigil, ws: true }, '/vigil': vigil, '/docs': vigil } },
});
