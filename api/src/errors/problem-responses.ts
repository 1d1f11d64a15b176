import { Problem } from '@mashangjian/shared'

/** Error responses for a route's OpenAPI schema; pass the statuses the route can answer. */
export function problems(...statuses: number[]): Record<number, typeof Problem> {
  return Object.fromEntries(statuses.map((s) => [s, Problem]))
}
