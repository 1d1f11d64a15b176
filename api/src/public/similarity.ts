import { diceCoefficient } from 'dice-coefficient'

/** Two reports this alike (Sørensen–Dice over character bigrams) are offered as "the same problem". */
export const SIMILAR_THRESHOLD = 0.5
/** Long texts are compared by their opening; the bigram comparison is quadratic in length. */
const COMPARE_CHARS = 300

const normalize = (text: string) => text.replace(/[\s\p{P}\p{S}]+/gu, '').slice(0, COMPARE_CHARS)

export function similarity(a: string, b: string): number {
  const x = normalize(a)
  const y = normalize(b)
  return x && y ? diceCoefficient(x, y) : 0
}

/** The most similar candidate at or above the threshold, if any. */
export function mostSimilar<T extends { description: string }>(text: string, candidates: T[]): (T & { score: number }) | undefined {
  let best: (T & { score: number }) | undefined
  for (const c of candidates) {
    const score = similarity(text, c.description)
    if (score >= SIMILAR_THRESHOLD && (!best || score > best.score)) best = { ...c, score }
  }
  return best
}
