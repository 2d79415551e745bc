// The setup NestJS's docs give for vitest: swc instead of esbuild, which cannot emit decorator
// metadata (Nest's dependency injection needs it).
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { globals: false, root: './' },
  plugins: [swc.vite({ module: { type: 'es6' } })],
});
