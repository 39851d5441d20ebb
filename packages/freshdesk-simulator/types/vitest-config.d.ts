// the shared test preset is untyped javascript; declare its single export for tsc
declare module "@landed/vitest-config" {
  import type { ViteUserConfig } from "vitest/config"
  export const base: ViteUserConfig
}
