/**
 * GB2312 hanzi: level 1 (rows 16–55, the 3755 most common) and level 2 (rows 56–87, 3008 more, many of them
 * surname characters). Decoded from the code table itself, so no list is copied in by hand.
 */
export function gb2312Hanzi(): string {
  const decoder = new TextDecoder('gb2312')
  let out = ''
  for (let row = 0xb0; row <= 0xf7; row++) {
    for (let cell = 0xa1; cell <= 0xfe; cell++) {
      if (row === 0xd7 && cell > 0xf9) continue // row 55 ends at D7F9
      const ch = decoder.decode(Uint8Array.of(row, cell))
      if (ch.length === 1 && ch !== '\ufffd') out += ch
    }
  }
  return out
}
