import { defineConfig } from 'vite'
export default defineConfig({
  base: '/',
  build: { outDir: 'dist', sourcemap: true, target: 'es2022' },
  // The time limit only stops a hung test: the generated-document rounds take ~3 s alone and
  // several times that on a machine busy with builds, so the 5 s default would fail them.
  test: { include: ['src/**/*.test.ts'], testTimeout: 60000 }
} as any)
