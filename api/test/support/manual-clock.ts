import type { Clock } from '../../src/clock'

/** A clock tests move by hand: lockouts, token expiry and deadlines without waiting. */
export class ManualClock implements Clock {
  private t: number
  constructor(start: Date | string = '2026-11-23T02:00:00Z') {
    this.t = new Date(start).getTime()
  }
  now(): Date {
    return new Date(this.t)
  }
  advance(ms: number): void {
    this.t += ms
  }
  advanceMinutes(minutes: number): void {
    this.advance(minutes * 60_000)
  }
}
