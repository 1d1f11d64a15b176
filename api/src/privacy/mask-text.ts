import { maskPhone } from './pii-cipher'

/** Mainland mobile numbers (11 digits from 13–19), not part of a longer number; an optional +86 / 86 prefix is dropped. */
const MOBILE = /(?<![0-9])(?:\+?86[- ]?)?(1[3-9][0-9])[- ]?([0-9]{4})[- ]?([0-9]{4})(?![0-9])/g
/** 18-character resident ID numbers: region and birth date would identify the person. */
const ID_NUMBER = /(?<![0-9A-Za-z])([1-9][0-9]{5})[0-9]{8}([0-9]{3}[0-9Xx])(?![0-9A-Za-z])/g

/**
 * Masks what a resident may have typed into free text (a description, a reply) before it leaves in an export
 * or a document: phone numbers like maskPhone (138****1234) and ID numbers (first 6 and last 4 kept).
 */
export function maskPiiInText(text: string): string {
  return text
    .replace(ID_NUMBER, (_m, head: string, tail: string) => `${head}********${tail}`)
    .replace(MOBILE, (_m, a: string, b: string, c: string) => maskPhone(`${a}${b}${c}`))
}
