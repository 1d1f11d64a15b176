import { start } from './bootstrap'
import { StartupError } from './config/startup-error'

// The whole process: start, and on a startup problem the operator can fix, one line and exit code 1.
start().catch((err: unknown) => {
  if (err instanceof StartupError) console.error(`mashangjian: ${err.message}`)
  else console.error('mashangjian: failed to start:', err)
  process.exit(1)
})
