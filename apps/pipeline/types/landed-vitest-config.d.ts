// the shared vitest preset is plain javascript; this gives its one export a type so that
// `tsc` can check vitest.config.ts
declare module "@landed/vitest-config" {
  import type { ViteUserConfig } from "vitest/config"
  export const base: ViteUserConfig
}
