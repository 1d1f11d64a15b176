import type { ReceptionSlot } from './duty-roster-service'

/** RFC 5545 TEXT escaping: backslash, semicolon, comma and newlines. */
export const icsText = (s: string) => s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n')

/**
 * RFC 5545 §3.1: content lines longer than 75 octets are folded (CRLF + one space). Folded between characters,
 * never inside a UTF-8 sequence, so Chinese names survive any calendar client.
 */
export function foldLine(line: string): string {
  const parts: string[] = []
  let current = ''
  let octets = 0
  for (const ch of line) {
    const n = Buffer.byteLength(ch, 'utf8')
    // The first line may hold 75 octets; continuation lines start with a space, so 74 more.
    if (octets + n > (parts.length === 0 ? 75 : 74)) {
      parts.push(current)
      current = ''
      octets = 0
    }
    current += ch
    octets += n
  }
  parts.push(current)
  return parts.join('\r\n ')
}

const stamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
const local = (day: string, time: string) => `${day.replace(/-/g, '')}T${time.replace(':', '')}00`

/** China has kept UTC+8 without daylight saving since 1991: one STANDARD component describes it. */
const VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  'TZID:Asia/Shanghai',
  'BEGIN:STANDARD',
  'DTSTART:19700101T000000',
  'TZOFFSETFROM:+0800',
  'TZOFFSETTO:+0800',
  'TZNAME:CST',
  'END:STANDARD',
  'END:VTIMEZONE',
]

/** A station's reception days as an iCalendar feed for staff calendars; one event per slot, named by its members. */
export function receptionCalendar({
  station,
  slots,
  now,
  host,
}: {
  station: { id: string; name: string }
  slots: ReceptionSlot[]
  now: Date
  host: string
}): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Mashangjian//Reception days//ZH',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${icsText(`${station.name} 委员接待日`)}`,
    'X-WR-TIMEZONE:Asia/Shanghai',
    ...VTIMEZONE,
  ]
  for (const s of slots) {
    lines.push(
      'BEGIN:VEVENT',
      // Stable per station, day and start, so a calendar that refreshes the feed updates the event in place.
      `UID:${station.id}-${s.day}-${s.startsAt.replace(':', '')}@${host}`,
      `DTSTAMP:${stamp(now)}`,
      `DTSTART;TZID=Asia/Shanghai:${local(s.day, s.startsAt)}`,
      `DTEND;TZID=Asia/Shanghai:${local(s.day, s.endsAt)}`,
      `SUMMARY:${icsText(`${station.name} 委员接待：${s.members.map((m) => m.name).join('、')}`)}`,
      `LOCATION:${icsText(station.name)}`,
      'END:VEVENT',
    )
  }
  lines.push('END:VCALENDAR')
  return lines.map(foldLine).join('\r\n') + '\r\n'
}
