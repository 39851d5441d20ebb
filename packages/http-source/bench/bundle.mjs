// Bundles the bench into one ESM file, dist/bench.mjs, the way the CLI ships
// (apps/pipeline/build.mjs): the figures are of the code users run. Run through tsx, the
// same code measured 0.05 to 0.08 higher on the overhead ratio (2026-12-04, six runs
// each); the cause is tsx's on-the-fly transform, not traced further (an esbuild bundle
// that keeps function names, as tsx does, measured like the plain bundle).
import { build } from "esbuild"

await build({
  entryPoints: ["bench/run.ts"],
  outfile: "dist/bench.mjs",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // undici, bundled, is CommonJS and calls require(), which ESM lacks
  banner: {
    js: 'import { createRequire as __benchCreateRequire } from "node:module";\nconst require = __benchCreateRequire(import.meta.url);'
  },
  legalComments: "none",
  logLevel: "warning"
})
