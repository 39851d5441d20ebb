/**
 * Strips the types of a self-contained TypeScript module (Node built-ins only) into a
 * plain ES module under `.cache/`, so a child process runs it with bare `node` and pays
 * no loader cost at start-up.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { basename, join } from "node:path"
import ts from "typescript"

/** Writes `<cacheDir>/<name>.mjs` from `source` and returns its path. */
export const toModule = (source: string, cacheDir: string): string => {
  const output = ts.transpileModule(readFileSync(source, "utf8"), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    fileName: basename(source)
  })
  mkdirSync(cacheDir, { recursive: true })
  const target = join(cacheDir, basename(source).replace(/\.ts$/, ".mjs"))
  writeFileSync(target, output.outputText)
  return target
}
