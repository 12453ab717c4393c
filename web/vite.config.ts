import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// In development the API runs on `codybatch serve` (5080); the built app is served by it at /.
export default defineConfig({
  plugins: [react()],
  server: { proxy: { "/api": "http://127.0.0.1:5080" } },
  test: { environment: "jsdom", globals: true },
});
