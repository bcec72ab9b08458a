import iconv from 'iconv-lite'
import { CsvError, parse, type Options } from 'csv-parse/sync'

/** A record of a CSV file with the line where it starts (1-based, the header is line 1). */
export interface CsvRecord {
  line: number
  cells: string[]
}

export interface ParsedCsv {
  delimiter: ';' | ','
  header: string[]
  records: CsvRecord[]
}

export class CsvSyntaxError extends Error {
  constructor(
    public line: number,
    message: string
  ) {
    super(`Ligne ${line} : ${message}`)
    this.name = 'CsvSyntaxError'
  }
}

export type CsvEncoding = 'utf-8' | 'windows-1252'

/** Bytes that are not UTF-8 in a file read as UTF-8: where the first one is, to refuse the file. */
export class CsvEncodingError extends Error {
  constructor(
    public line: number,
    /** 1-based position of the character in its line. */
    public position: number,
    /** The text of the line before the bad byte (to name its column). */
    public before: string,
    public byte: number
  ) {
    super(`Ligne ${line} : octet 0x${byte.toString(16).toUpperCase()} invalide en UTF-8 (caractère ${position})`)
    this.name = 'CsvEncodingError'
  }
}

/** Offset of the first byte that breaks UTF-8 (overlong forms and surrogates included), or -1. */
export function firstInvalidUtf8(buffer: Uint8Array): number {
  const continuation = (at: number, low = 0x80, high = 0xbf) => at < buffer.length && buffer[at] >= low && buffer[at] <= high
  for (let i = 0; i < buffer.length; ) {
    const byte = buffer[i]
    if (byte < 0x80) i += 1
    else if (byte >= 0xc2 && byte <= 0xdf && continuation(i + 1)) i += 2
    else if (byte >= 0xe0 && byte <= 0xef) {
      const low = byte === 0xe0 ? 0xa0 : 0x80
      const high = byte === 0xed ? 0x9f : 0xbf
      if (!continuation(i + 1, low, high) || !continuation(i + 2)) return i
      i += 3
    } else if (byte >= 0xf0 && byte <= 0xf4) {
      const low = byte === 0xf0 ? 0x90 : 0x80
      const high = byte === 0xf4 ? 0x8f : 0xbf
      if (!continuation(i + 1, low, high) || !continuation(i + 2) || !continuation(i + 3)) return i
      i += 4
    } else return i
  }
  return -1
}

function strictUtf8(buffer: Buffer): string {
  const bad = firstInvalidUtf8(buffer)
  if (bad >= 0) {
    const lineStart = buffer.lastIndexOf(0x0a, bad - 1) + 1
    let line = 1
    for (let i = 0; i < lineStart; i++) if (buffer[i] === 0x0a) line++
    const before = new TextDecoder('utf-8').decode(buffer.subarray(lineStart, bad))
    throw new CsvEncodingError(line, [...before].length + 1, before, buffer[bad])
  }
  return new TextDecoder('utf-8').decode(buffer)
}

/**
 * Text of a file from a spreadsheet: UTF-8 with or without BOM, or Windows-1252 (what Excel
 * writes by default in France). Invalid UTF-8 means Windows-1252, decoded by iconv-lite
 * (Node's TextDecoder mangles € ’ œ).
 */
export function decodeCsv(buffer: Buffer, encoding?: CsvEncoding): { text: string; encoding: CsvEncoding } {
  const hasBom = buffer.length >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf
  if (encoding === 'windows-1252') return { text: iconv.decode(buffer, 'win1252'), encoding }
  if (encoding === 'utf-8' || hasBom) {
    // Said to be UTF-8 (flag or BOM): a byte that is not must stop the import, not become « � ».
    return { text: strictUtf8(hasBom ? buffer.subarray(3) : buffer), encoding: 'utf-8' }
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buffer), encoding: 'utf-8' }
  } catch {
    return { text: iconv.decode(buffer, 'win1252'), encoding: 'windows-1252' }
  }
}

/** `;` or `,`: whichever appears more often outside quotes in the first line. */
export function detectDelimiter(text: string): ';' | ',' {
  let semicolons = 0
  let commas = 0
  let quoted = false
  for (const char of text) {
    if (char === '"') quoted = !quoted
    else if (!quoted && (char === '\n' || char === '\r')) break
    else if (!quoted && char === ';') semicolons++
    else if (!quoted && char === ',') commas++
  }
  return commas > semicolons ? ',' : ';'
}

function readsWhole(text: string, options: Options): boolean {
  try {
    parse(text, options)
    return true
  } catch {
    return false
  }
}

/** Where the parser stopped: the quote left open, or the character after a closing quote. */
function syntaxError(error: CsvError, text: string, recordStart: number, recordLine: number, options: Options): CsvSyntaxError {
  const raw = typeof error.raw === 'string' ? error.raw : ''
  const lineAt = (offset: number) => recordLine + (text.slice(recordStart, offset).match(/\n/g)?.length ?? 0)
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
    // The open quote is the first one after which the record holds only doubled quotes.
    let open = raw.indexOf('"')
    while (open >= 0 && raw.slice(open + 1).replace(/""/g, '').includes('"')) open = raw.indexOf('"', open + 1)
    return new CsvSyntaxError(lineAt(recordStart + Math.max(open, 0)), 'guillemet ouvert jamais refermé.')
  }
  if (error.code === 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE' || error.code === 'CSV_INVALID_CLOSING_QUOTE') {
    // csv-parse's raw text stops at the closing quote, or at the character when spaces came
    // between: in the second case, the raw text without its last character is a whole record.
    const offset = recordStart + raw.length - (readsWhole(raw.slice(0, -1), options) ? 1 : 0)
    return new CsvSyntaxError(
      lineAt(offset),
      `caractère « ${text[offset]} » après un guillemet fermant : doublez les guillemets à l'intérieur d'un champ ("").`
    )
  }
  return new CsvSyntaxError(lineAt(recordStart + raw.length), `fichier illisible (${error.message}).`)
}

/**
 * RFC 4180 with the usual spreadsheet habits, read by csv-parse: CRLF, LF or CR line ends;
 * quoted fields with doubled quotes and line breaks inside (kept as LF); spaces around a quoted
 * field ignored; a stray quote inside an unquoted field kept as text; blank lines skipped.
 * Each record keeps the line where it starts so that errors name the line a person sees in
 * their editor.
 */
export function parseCsv(input: string, delimiter?: ';' | ','): ParsedCsv {
  const text = (input.charCodeAt(0) === 0xfeff ? input.slice(1) : input).replace(/\r\n?/g, '\n')
  const sep = delimiter ?? detectDelimiter(text)
  const records: CsvRecord[] = []
  // Where the record being read starts: its offset in the text and its line.
  let recordStart = 0
  let recordLine = 1
  const options: Options = { delimiter: sep, record_delimiter: '\n', relax_column_count: true, relax_quotes: true, trim: true }
  try {
    parse(text, {
      ...options,
      raw: true,
      on_record: (record: unknown, context) => {
        const raw = context.raw ?? ''
        const cells = (record as { record: string[] }).record
        const blank = cells.length === 1 && cells[0] === '' && !raw.includes('"')
        if (!blank) records.push({ line: recordLine, cells })
        recordStart += raw.length
        recordLine += raw.match(/\n/g)?.length ?? 0
        return null
      },
    })
  } catch (error) {
    if (error instanceof CsvError) throw syntaxError(error, text, recordStart, recordLine, options)
    throw error
  }

  const [first, ...rest] = records
  return { delimiter: sep, header: first ? first.cells.map((name) => name.trim()) : [], records: rest }
}
