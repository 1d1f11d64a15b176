import path from 'node:path'
import { REPO_ROOT } from '../../config/repo-root'

/** The committed font subsets (made by subset-fonts-cli.ts), by what they are for. */
export const FONT_FILES = {
  /** Noto Sans SC Regular: GB2312 hanzi (levels 1 and 2), ASCII, Latin-1, CJK punctuation. */
  cjk: 'NotoSansSC-Regular.subset.ttf',
  /** Noto Naskh Arabic Regular: the Arabic block (Uyghur and Kazakh letters included). */
  arabic: 'NotoNaskhArabic-Regular.subset.ttf',
} as const

// Beside this module in the sources; the compiled bundle (api/dist) reads them from the same place (the image copies it).
export const FONTS_DIR = path.join(REPO_ROOT, 'api', 'src', 'placards', 'fonts')

export const fontPath = (kind: keyof typeof FONT_FILES) => path.join(FONTS_DIR, FONT_FILES[kind])
