import { defineConfig } from 'vite'
export default defineConfig({
  base: '/',
  build: { outDir: 'dist', sourcemap: true, target: 'es2022' },
  test: { include: ['src/**/*.test.ts'] }
} as any)
