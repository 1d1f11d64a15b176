/** Time comes from here, never from `new Date()` in rules, so tests can move it (lockouts, deadlines). */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }
