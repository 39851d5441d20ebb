// the shared vitest preset is plain JavaScript without declarations; this types its one
// export so that tsc can check vitest.config.ts
declare module "@landed/vitest-config" {
  import type { ViteUserConfig } from "vitest/config"
  export const base: ViteUserConfig
}
