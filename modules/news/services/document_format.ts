const TYPE_LABELS: Record<string, string> = {
  pdf: 'PDF',
  doc: 'Word',
  docx: 'Word',
  odt: 'Texte OpenDocument',
  xls: 'Excel',
  xlsx: 'Excel',
  ods: 'Tableur OpenDocument',
  ppt: 'PowerPoint',
  pptx: 'PowerPoint',
  odp: 'Présentation OpenDocument',
}

/** "PDF", "Word"... from the stored file's name. */
export function documentType(fileName: string): string {
  const extension = (fileName.split('.').pop() ?? '').toLowerCase()
  return TYPE_LABELS[extension] ?? extension.toUpperCase()
}

const decimal = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 })

/** "820 octets", "12 Ko", "1,4 Mo" */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} octets`
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} Ko`
  return `${decimal.format(bytes / (1024 * 1024))} Mo`
}
