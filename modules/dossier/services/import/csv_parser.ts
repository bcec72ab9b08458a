import iconv from 'iconv-lite'

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

/**
 * RFC 4180 with the usual spreadsheet habits: CRLF, LF or CR line ends; quoted fields with
 * doubled quotes and line breaks inside; blank lines skipped. Each record keeps the line
 * where it starts so that errors name the line a person sees in their editor.
 */
export function parseCsv(input: string, delimiter?: ';' | ','): ParsedCsv {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input
  const sep = delimiter ?? detectDelimiter(text)
  const records: CsvRecord[] = []
  let cells: string[] = []
  let cell = ''
  let line = 1
  let recordLine = 1
  let i = 0
  let inQuotes = false
  let quoteLine = 0
  let afterQuote = false
  let quotedRecord = false

  const endRecord = () => {
    cells.push(cell)
    if (quotedRecord || !(cells.length === 1 && cells[0].trim() === '')) records.push({ line: recordLine, cells })
    cells = []
    cell = ''
    afterQuote = false
    quotedRecord = false
  }

  while (i < text.length) {
    const char = text[i]
    if (inQuotes) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          cell += '"'
          i += 2
          continue
        }
        inQuotes = false
        afterQuote = true
        i++
        continue
      }
      if (char === '\r' || char === '\n') {
        if (char === '\r' && text[i + 1] === '\n') {
          cell += '\n'
          i += 2
        } else {
          cell += '\n'
          i++
        }
        line++
        continue
      }
      cell += char
      i++
      continue
    }
    if (char === sep) {
      cells.push(cell)
      cell = ''
      afterQuote = false
      i++
      continue
    }
    if (char === '\r' || char === '\n') {
      endRecord()
      i += char === '\r' && text[i + 1] === '\n' ? 2 : 1
      line++
      recordLine = line
      continue
    }
    if (afterQuote) {
      if (char === ' ' || char === '\t') {
        i++
        continue
      }
      throw new CsvSyntaxError(line, `caractère « ${char} » après un guillemet fermant : doublez les guillemets à l'intérieur d'un champ ("").`)
    }
    if (char === '"' && cell.trim() === '') {
      cell = ''
      inQuotes = true
      quotedRecord = true
      quoteLine = line
      i++
      continue
    }
    cell += char
    i++
  }
  if (inQuotes) throw new CsvSyntaxError(quoteLine, 'guillemet ouvert jamais refermé.')
  if (cell !== '' || cells.length || quotedRecord) endRecord()

  const [first, ...rest] = records
  return { delimiter: sep, header: first ? first.cells.map((name) => name.trim()) : [], records: rest }
}
