/** Set by vite.config.ts: which build this is (the update test deploys a second one). */
declare const __BUILD_ID__: string
