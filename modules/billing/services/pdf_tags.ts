/**
 * Tagged PDF (PDF/UA-style structure, RGAA 13.3) on top of pdfkit: a structure tree whose order is
 * the reading order, each piece of text marked as the content of one element, and what is only
 * drawn (rules, backgrounds) marked as an artifact that assistive technologies skip.
 *
 * pdfkit runs a closure given to an element as soon as that element joins the (attached) tree:
 * the drawing happens in the order the elements are added, so the content stream and the tree
 * read the same way.
 */
type Doc = PDFKit.PDFDocument
type Element = PDFKit.PDFStructureElement

/** Table attributes (PDF 1.7 §14.8.5.7): who a header cell heads, how many columns it spans. */
export interface CellAttributes {
  scope?: 'Row' | 'Column'
  colSpan?: number
}

export class PdfTags {
  readonly root: Element

  constructor(private doc: Doc) {
    this.root = doc.struct('Document')
    doc.addStructure(this.root)
  }

  /** An element of `type` drawn by `draw`, added under `parent` (the document by default). */
  block(type: string, draw: () => void, parent: Element = this.root): Element {
    const element = this.doc.struct(type, {}, draw)
    parent.add(element)
    return element
  }

  /** An element that only groups others (Table, THead, TR…): its children are added afterwards. */
  group(type: string, parent: Element = this.root): Element {
    const element = this.doc.struct(type)
    parent.add(element)
    return element
  }

  /** A table cell (TH or TD) with its attributes, drawn by `draw`. */
  cell(row: Element, type: 'TH' | 'TD', draw: () => void, attributes: CellAttributes = {}) {
    const element = this.doc.struct(type, {}, draw)
    const table: Record<string, unknown> = { O: 'Table' }
    if (attributes.scope) table.Scope = attributes.scope
    if (attributes.colSpan && attributes.colSpan > 1) table.ColSpan = attributes.colSpan
    // Set before the cell joins the row: pdfkit writes the dictionary out as soon as it is complete.
    if (Object.keys(table).length > 1) (element as unknown as { dictionary: { data: Record<string, unknown> } }).dictionary.data.A = table
    row.add(element)
    return element
  }

  /** Drawing that carries no meaning (a rule, a background): out of the reading order. */
  artifact(draw: () => void) {
    this.doc.markContent('Artifact', { type: 'Layout' })
    draw()
    this.doc.endMarkedContent()
  }

  /** Closes the tree: every element is written out when the document ends. */
  end() {
    this.root.end()
  }
}
