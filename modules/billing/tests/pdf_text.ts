import { inflateSync } from 'node:zlib'

/** WinAnsi's bytes 0x80–0x9F that latin1 does not read the same (the rest of 0x20–0xFF is latin1). */
const WIN_ANSI: Record<number, string> = { 0x80: '€', 0x85: '…', 0x91: '‘', 0x92: '’', 0x93: '“', 0x94: '”', 0x95: '•', 0x96: '–', 0x97: '—', 0x9c: 'œ', 0x8c: 'Œ' }

/** One object of the PDF: its dictionary's text and its stream (inflated when compressed), read as latin1. */
export interface PdfObject {
  dict: string
  stream: string | null
}

/**
 * The PDF's objects by number. pdfkit writes no object streams nor cross-reference streams, so
 * every dictionary is plain text in the file, and each stream is `stream\n`, its bytes, then
 * `\nendstream`: a compressed stream whose last byte is \r (1 in 256) keeps it (reading
 * `\r\nendstream` as the end cut it off, and the page's text read as empty).
 */
export function pdfObjects(pdf: Buffer): Map<number, PdfObject> {
  const objects = new Map<number, PdfObject>()
  for (const match of pdf.toString('latin1').matchAll(/(?:^|\n)(\d+) 0 obj\n([\s\S]*?)\nendobj/g)) {
    const body = match[2]
    const streamAt = body.search(/\nstream\r?\n/)
    if (streamAt === -1) {
      objects.set(Number(match[1]), { dict: body, stream: null })
      continue
    }
    const raw = body.slice(body.indexOf('\n', streamAt + 1) + 1).replace(/\nendstream\s*$/, '')
    objects.set(Number(match[1]), { dict: body.slice(0, streamAt), stream: inflatedOrRaw(raw) })
  }
  return objects
}

function inflatedOrRaw(raw: string): string {
  try {
    return inflateSync(Buffer.from(raw, 'latin1')).toString('latin1')
  } catch {
    return raw
  }
}

/** The PDF's streams, in the file's order (see pdfObjects). */
export function pdfContentStreams(pdf: Buffer): string[] {
  return [...pdfObjects(pdf).values()].flatMap((object) => (object.stream === null ? [] : [object.stream]))
}

/** The text of one TJ operand (`<hex> kerning <hex>…`): WinAnsi bytes of the standard fonts. */
export function shownText(operand: string): string {
  let text = ''
  for (const segment of operand.matchAll(/<([0-9a-f]*)>/gi)) {
    for (const byte of Buffer.from(segment[1], 'hex')) text += WIN_ANSI[byte] ?? String.fromCharCode(byte)
  }
  return text
}

/**
 * The text a pdfkit PDF shows (standard fonts: hex strings of WinAnsi bytes), each text operation
 * joined by a space and the spaces collapsed: enough to check what a document says. No PDF parser
 * in node_modules and pdfkit's own output is regular enough (the tagging: pdf_structure.ts; poppler's
 * pdfinfo, installed by .ci/run, only in the tagging test).
 */
export function pdfText(pdf: Buffer): string {
  const parts: string[] = []
  for (const content of pdfContentStreams(pdf)) {
    for (const operation of content.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
      parts.push(shownText(operation[1]))
    }
  }
  return parts.join(' ').replace(/\s+/g, ' ')
}
