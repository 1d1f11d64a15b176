import QRCode from 'qrcode'

/** Error correction M survives a scuffed placard; a 4-module quiet zone is what scanners expect. */
const OPTIONS = { errorCorrectionLevel: 'M' as const, margin: 4 }

export const qrSvg = (url: string) => QRCode.toString(url, { ...OPTIONS, type: 'svg' })

export const qrPng = (url: string, width = 600) => QRCode.toBuffer(url, { ...OPTIONS, type: 'png', width })
