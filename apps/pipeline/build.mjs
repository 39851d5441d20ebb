// Bundles the CLI into one file, dist/cli.js, for the `landed-freshdesk` bin and the
// container image: every workspace package and dependency is inlined except DuckDB, whose
// native binding is installed beside the bundle (`pnpm deploy --prod`).
import { chmod } from "node:fs/promises"
import { build } from "esbuild"

const outfile = process.argv[2] ?? "dist/cli.js"

await build({
  entryPoints: ["src/bin.ts"],
  outfile,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: ["@duckdb/node-api"],
  // bundled CommonJS dependencies (cli-progress) call require(), which ESM lacks
  banner: {
    js: [
      "#!/usr/bin/env node",
      'import { createRequire as __landedCreateRequire } from "node:module";',
      "const require = __landedCreateRequire(import.meta.url);"
    ].join("\n")
  },
  legalComments: "none",
  logLevel: "warning"
})
await chmod(outfile, 0o755)
console.log(`built ${outfile}`)
