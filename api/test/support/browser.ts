import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/**
 * Browser tests need Debian's chromium (`apt-get install -y chromium`; .ci/run installs it). Outside CI a machine
 * without it skips them with this reason; in CI a missing browser fails the run.
 */
export const browserMissing = !existsSync(CHROMIUM) && process.env.CI !== 'true'

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  })
}
