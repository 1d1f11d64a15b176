import type { CaseRole } from '@mashangjian/shared'
import { maskPhone } from './pii-cipher'

/*
 * The one masking path for free text (issue 18): what a resident (or anyone) typed into a description, a
 * location, a timeline entry or a reply is shown in full to the case's assignee only (they call back); every
 * other reader — station and committee admins, the sync feed and lists of admins, the dashboard, exports,
 * opinion reports, the public duplicate hint and tracking page — gets it through maskPiiInText. Views choose
 * with caseTextFor(reader) and never write a regex of their own.
 */

/** A digit as a phone keyboard may type it: ASCII or full-width (１３８…). */
const D = '[0-9\\uFF10-\\uFF19]'
/** One separator a person may put between digit groups: hyphen, space, full-width hyphen or space. */
const SEP = '[- \\u3000\\uFF0D]'
/**
 * Mainland mobile numbers: 11 digits from 13–19, written plain or grouped (138 1234 5678, 138-1234-5678, 1381 234 5678),
 * with an optional +86 / 86 prefix; never part of a longer run of digits (order numbers, amounts).
 */
const MOBILE = new RegExp(`(?<!${D})(?:[+\\uFF0B]?(?:86|\\uFF18\\uFF16)${SEP}?)?([1\\uFF11]${SEP}?[3-9\\uFF13-\\uFF19](?:${SEP}?${D}){9})(?!${D})`, 'g')
/** 18-character resident ID numbers (last character may be X): region and birth date would identify the person. */
const ID_NUMBER = /(?<![0-9A-Za-z])([1-9][0-9]{5})[0-9]{8}([0-9]{3}[0-9Xx])(?![0-9A-Za-z])/g
/** Landlines with their area code (010 / 02x / 0xxx, then 7–8 digits): 0371-62345678, 010 87654321. */
const LANDLINE = /(?<![0-9])(0[1-9][0-9]{1,2})[- ]?([2-9][0-9]{2,3})([0-9]{4})(?![0-9])/g

const asciiDigits = (s: string) => s.replace(/[\uFF10-\uFF19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xFF10 + 48))

/**
 * Masks the personal numbers in free text: mobiles like maskPhone (138****1234), ID numbers (first 6 and last 4
 * kept), landlines (area code and last 4 kept). Everything else is left as written.
 */
export function maskPiiInText(text: string): string {
  return text
    .replace(ID_NUMBER, (_m, head: string, tail: string) => `${head}********${tail}`)
    .replace(MOBILE, (_m, mobile: string) => maskPhone(asciiDigits(mobile)))
    .replace(LANDLINE, (_m, area: string, _mid: string, tail: string) => `${area}-****${tail}`)
}

/** How a case's free text reads to someone: `assignee` in full, any other reader (or none) masked. */
export type CaseTextReader = CaseRole | null
export type CaseText = (text: string) => string
const asWritten: CaseText = (text) => text

/** The text view for this reader of a case; every case view (lists, details, timelines, answers) goes through it. */
export function caseTextFor(reader: CaseTextReader): CaseText {
  return reader === 'assignee' ? asWritten : maskPiiInText
}
