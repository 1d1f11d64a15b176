import { defineConfig } from 'vite'
import preact from '@preact/preset-vite'
import { VitePWA } from 'vite-plugin-pwa'

/**
 * The member app lives under /app/ (the API serves web/dist there; push notices deep-link to /app/cases/{id}).
 * The service worker precaches the shell so the app opens with no network; API data is kept by src/data in
 * IndexedDB, never by the service worker, so the outbox and the cache have one owner.
 * `MSJ_WEB_OUT_DIR` lets tests build into a scratch folder; `MSJ_BUILD_ID` marks a build (the update test
 * rebuilds with another id to "deploy a new version").
 */
const base = '/app/'

export default defineConfig({
  base,
  define: { __BUILD_ID__: JSON.stringify(process.env.MSJ_BUILD_ID ?? new Date().toISOString()) },
  plugins: [
    preact(),
    VitePWA({
      // "prompt": a new service worker waits until the member taps "update" (sw-bridge decides when it is safe).
      registerType: 'prompt',
      injectRegister: false,
      filename: 'sw.js',
      manifest: {
        id: base,
        name: '码上见 · 委员履职',
        short_name: '码上见',
        description: '委员接单、联系群众、办结反馈，离线也能办。',
        lang: 'zh-CN',
        start_url: `${base}?source=pwa`,
        scope: base,
        display: 'standalone',
        orientation: 'portrait',
        background_color: '#ffffff',
        theme_color: '#b71c1c',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: 'icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,png,svg,webmanifest}'],
        navigateFallback: `${base}index.html`,
        navigateFallbackAllowlist: [/^\/app\//],
        cleanupOutdatedCaches: true,
        // Take control on first install (the member can go offline right away); updates still wait for the member.
        clientsClaim: true,
        // Shows Web Push notices and opens the case they point to (public/push-handler.js).
        importScripts: ['push-handler.js'],
      },
    }),
  ],
  // The manifest (dist/.vite/manifest.json) gives the chunk graph: bench/member-app.ts sums the inbox's initial JS from it.
  build: { outDir: process.env.MSJ_WEB_OUT_DIR ?? 'dist', emptyOutDir: true, assetsDir: 'assets', target: 'es2020', manifest: true },
  server: { proxy: { '/api': 'http://localhost:3000', '/q': 'http://localhost:3000', '/t': 'http://localhost:3000' } },
})
