/** The release, shown on /healthz and in the API docs, and written into backup archives. */
export const VERSION = '0.1.0'
