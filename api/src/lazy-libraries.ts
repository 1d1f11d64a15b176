/**
 * Libraries that only a few requests need (image processing, spreadsheet exports and imports, PDF placards and reports, Word reports), loaded on first use.
 * Imported at start they cost ~47 MB resident in every API process, and a scan page needs none of them
 * (issue 17: the RSS budget of one small server). Each loads once; later calls share the same promise.
 */
let excel: Promise<typeof import('exceljs')> | undefined
let docx: Promise<typeof import('docx')> | undefined
let pdfkit: Promise<unknown> | undefined
let sharp: Promise<typeof import('sharp')> | undefined

type Sharp = (typeof import('sharp'))['default']

/** PDFKit's class as its typings declare it (a CommonJS `export =`, typed through the global PDFKit namespace). */
type PdfKitClass = new (options?: PDFKit.PDFDocumentOptions) => PDFKit.PDFDocument

export async function loadExcelJs(): Promise<typeof import('exceljs')> {
  const mod = await (excel ??= import('exceljs'))
  // exceljs is CommonJS: under Node's ESM interop its API is the default export.
  return ((mod as { default?: typeof import('exceljs') }).default ?? mod) as typeof import('exceljs')
}

/** PDFKit's document class (placards, 社情民意 reports). */
export async function loadPdfKit(): Promise<PdfKitClass> {
  const mod = (await (pdfkit ??= import('pdfkit'))) as { default?: PdfKitClass }
  return mod.default ?? (mod as unknown as PdfKitClass)
}

/** sharp (libvips, ~14 MB resident): photos, the favicon, placard portraits, the share card. */
export async function loadSharp(): Promise<Sharp> {
  return (await (sharp ??= import('sharp'))).default
}

export function loadDocx(): Promise<typeof import('docx')> {
  return (docx ??= import('docx'))
}
