/**
 * Secret links (a resident's tracking link /t/…, a department's reply link /d/…) are bearer credentials: whoever
 * has one reads the case, and a department link can answer it. Logs are kept far longer and read by more people
 * than the links' holders, so every log line passes URLs and texts through here first.
 */
const SECRET_PATH = /\/(t|d|public\/tracking)\/[A-Za-z0-9_-]{16,}/g

export const redactSecretLinks = (text: string) => text.replace(SECRET_PATH, '/$1/***')
