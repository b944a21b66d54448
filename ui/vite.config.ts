import { svelte } from "@sveltejs/vite-plugin-svelte";
import { defineConfig } from "vitest/config";

// Tauri loads `ui/dist` (tauri.conf.json: frontendDist) and, in `tauri dev`, the dev server at
// http://localhost:5173 (devUrl): keep the port fixed.
export default defineConfig(({ mode }) => ({
  plugins: [svelte()],
  // Relative asset URLs, so the built UI works from any base (Tauri's custom protocol).
  base: "./",
  clearScreen: false,
  resolve: {
    alias: {
      $lib: decodeURIComponent(new URL("./src/lib", import.meta.url).pathname),
    },
    // Vitest runs in Node: use Svelte's browser build so that components can be mounted.
    ...(mode === "test" ? { conditions: ["browser"] } : {}),
  },
  server: {
    port: 5173,
    strictPort: true,
    host: "localhost",
    // The tests read the shell's command signatures (src/contract.test.ts); the dev server
    // serves the UI folder alone.
    ...(mode === "test" ? { fs: { allow: [".", "../src-tauri/src"] } } : {}),
  },
  preview: {
    port: 4173,
    strictPort: true,
  },
  envPrefix: ["VITE_", "TAURI_ENV_"],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // No modulepreload polyfill: the webview supports it, and the UI makes no requests of its own.
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
  test: {
    environment: "happy-dom",
    include: ["src/**/*.test.ts"],
  },
}));
