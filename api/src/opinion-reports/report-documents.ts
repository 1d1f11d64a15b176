import { loadDocx, loadPdfKit } from '../lazy-libraries'
import { REPORT_STATUS_ZH, formatDate, type ReportDetail } from '@mashangjian/shared'
import { CJK, registerCjkFonts } from '../fonts/cjk-font'

/** What a report document shows: the report as the caller sees it, and the committee that issues it. */
export interface ReportDocument {
  report: ReportDetail
  committeeName: string
}

/** The documents are in Chinese: dates as zh-CN writes them, in Beijing time. */
const cst = (iso: string | null) => (iso ? formatDate(iso, 'zh-CN', 'date') : '—')
const paragraphs = (text: string) =>
  text
    .split(/\r?\n/)
    .map((p) => p.trim())
    .filter(Boolean)

/** The lines of the document, shared by the PDF and the DOCX so both say the same. */
function outline({ report: r, committeeName }: ReportDocument) {
  const by = r.memberName ?? r.authorName ?? '—'
  return {
    masthead: `${committeeName} 社情民意信息`,
    title: r.title,
    meta: [
      `反映人：${by}`,
      `状态：${REPORT_STATUS_ZH[r.status]}${r.decidedBy ? `（${r.decidedBy}）` : ''}`,
      `报送日期：${cst(r.submittedAt)}`,
      ...(r.decidedAt ? [`${r.status === 'adopted' ? '采用' : '办理'}日期：${cst(r.decidedAt)}`] : []),
    ],
    sections: [
      { heading: '一、基本情况', body: paragraphs(r.summary) },
      { heading: '二、意见建议', body: paragraphs(r.suggestion) },
      {
        heading: '三、相关群众诉求',
        body: [
          ...r.cases.map((c) => `${c.publicNo}（${c.categoryNames?.['zh-CN'] ?? '未分类'}，${c.stationName ?? '—'}，${cst(c.createdAt)}）：${c.description}`),
          ...(r.hiddenCases > 0 ? [`另有 ${r.hiddenCases} 件诉求不在您的查看范围内。`] : []),
        ],
      },
    ],
  }
}

/**
 * The report as an A4 PDF, streamed as pdfkit writes it. Text uses the embedded Noto Sans SC subset, so it
 * prints and copies as Chinese text anywhere (pdftotext reads it back).
 */
export async function reportPdf(input: ReportDocument): Promise<PDFKit.PDFDocument> {
  const PDFDocument = await loadPdfKit()
  const o = outline(input)
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 64, bottom: 64, left: 72, right: 72 },
    info: { Title: o.title, Subject: '社情民意信息', Producer: 'Mashangjian 码上见', Creator: 'Mashangjian 码上见' },
  })
  registerCjkFonts(doc)
  doc.font(CJK.bold).fontSize(20).fillColor('#b71c1c').text(o.masthead, { align: 'center' })
  doc
    .moveDown(0.3)
    .lineWidth(1.5)
    .strokeColor('#b71c1c')
    .moveTo(72, doc.y)
    .lineTo(doc.page.width - 72, doc.y)
    .stroke()
  doc.moveDown(1).fillColor('#000').font(CJK.bold).fontSize(16).text(o.title, { align: 'center' })
  doc.moveDown(0.5).font(CJK.regular).fontSize(10).fillColor('#444').text(o.meta.join('    '), { align: 'center' })
  doc.fillColor('#000')
  for (const s of o.sections) {
    doc.moveDown(1).font(CJK.bold).fontSize(13).text(s.heading)
    doc.moveDown(0.3).font(CJK.regular).fontSize(12)
    if (s.body.length === 0) doc.fillColor('#666').text('（无）').fillColor('#000')
    for (const p of s.body) doc.text(p, { indent: 24, lineGap: 4, paragraphGap: 6, align: 'justify' })
  }
  doc.end()
  return doc
}

/** The same report as a Word document, for offices that edit before forwarding. */
export async function reportDocx(input: ReportDocument): Promise<Buffer> {
  const { AlignmentType, Document, HeadingLevel, Packer, Paragraph, TextRun } = await loadDocx()
  const o = outline(input)
  const text = (t: string, opts: { bold?: boolean; size?: number; color?: string } = {}) =>
    new TextRun({ text: t, font: { eastAsia: 'SimSun', ascii: 'Times New Roman' }, ...opts })
  const doc = new Document({
    creator: 'Mashangjian 码上见',
    title: o.title,
    sections: [
      {
        children: [
          new Paragraph({ alignment: AlignmentType.CENTER, children: [text(o.masthead, { bold: true, size: 36, color: 'B71C1C' })] }),
          new Paragraph({
            alignment: AlignmentType.CENTER,
            heading: HeadingLevel.TITLE,
            spacing: { before: 240, after: 120 },
            children: [text(o.title, { bold: true, size: 32 })],
          }),
          new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 240 }, children: [text(o.meta.join('    '), { size: 20, color: '444444' })] }),
          ...o.sections.flatMap((s) => [
            new Paragraph({ heading: HeadingLevel.HEADING_2, spacing: { before: 240, after: 120 }, children: [text(s.heading, { bold: true, size: 28 })] }),
            ...(s.body.length === 0
              ? [new Paragraph({ children: [text('（无）', { color: '666666' })] })]
              : s.body.map((p) => new Paragraph({ indent: { firstLine: 480 }, spacing: { after: 120, line: 360 }, children: [text(p, { size: 24 })] }))),
          ]),
        ],
      },
    ],
  })
  return Packer.toBuffer(doc)
}
