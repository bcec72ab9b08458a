/**
 * CSV for a French Excel: `;` separator, UTF-8 BOM, CRLF, and cells that would start a
 * formula (= + - @, tab, CR) prefixed with a quote so they open as text.
 */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value)
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  if (/[";\r\n]/.test(text) || text !== text.trim()) text = `"${text.replace(/"/g, '""')}"`
  return text
}

export function toCsv(header: string[], rows: unknown[][]): string {
  const lines = [header, ...rows].map((row) => row.map(csvCell).join(';'))
  return '\ufeff' + lines.join('\r\n') + '\r\n'
}
