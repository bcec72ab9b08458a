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

/**
 * Text of a file from a spreadsheet: UTF-8 with or without BOM, or Windows-1252 (what Excel
 * writes by default in France). Invalid UTF-8 means Windows-1252, decoded by iconv-lite
 * (Node's TextDecoder mangles € ’ œ).
 */
export function decodeCsv(buffer: Buffer, encoding?: CsvEncoding): { text: string; encoding: CsvEncoding } {
  const hasBom = buffer.length >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf
  if (encoding === 'windows-1252') return { text: iconv.decode(buffer, 'win1252'), encoding }
  if (encoding === 'utf-8' || hasBom) {
    return { text: new TextDecoder('utf-8').decode(hasBom ? buffer.subarray(3) : buffer), encoding: 'utf-8' }
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
