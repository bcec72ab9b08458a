/* Reads the tagging of a pdfkit PDF (not a spec file): the catalog, the structure tree and the text of each element. */
import { pdfObjects, shownText, type PdfObject } from '#modules/billing/tests/pdf_text'

/** One structure element, in the tree's order: its type, its own text and its ancestors' types. */
export interface PdfElement {
  type: string
  text: string
  ancestors: string[]
  /** Numbers of the pages its content lies on (1 = first page). */
  pages: number[]
  children: PdfElement[]
}

/** `/Key n 0 R` of a dictionary, followed to the object's dictionary; or the inline value. */
function entry(objects: Map<number, PdfObject>, dict: string, key: string): string | null {
  const match = new RegExp(`/${key}\\s*(\\d+) 0 R`).exec(dict)
  if (match) return objects.get(Number(match[1]))?.dict ?? null
  const inline = new RegExp(`/${key}\\s*(<<[\\s\\S]*?>>|\\([^)]*\\)|/\\w+|true|false|\\d+)`).exec(dict)
  return inline ? inline[1] : null
}

/** The catalog's entries the tagging is about, each as its (resolved) PDF text. */
export function pdfCatalog(pdf: Buffer) {
  const objects = pdfObjects(pdf)
  const catalog = [...objects.values()].find((object) => /\/Type\s*\/Catalog\b/.test(object.dict))
  if (!catalog) throw new Error('PDF sans catalogue')
  const trailer = /trailer\s*<<([\s\S]*?)>>\s*startxref/.exec(pdf.toString('latin1'))?.[1] ?? ''
  const info = entry(objects, trailer, 'Info') ?? ''
  const title = entry(objects, info, 'Title')
  return {
    markInfo: entry(objects, catalog.dict, 'MarkInfo'),
    structTreeRoot: entry(objects, catalog.dict, 'StructTreeRoot'),
    lang: entry(objects, catalog.dict, 'Lang'),
    viewerPreferences: entry(objects, catalog.dict, 'ViewerPreferences'),
    title: title ? title.replace(/^\(|\)$/g, '') : null,
  }
}

/**
 * The text of each marked content of each page (page object number → MCID → text), and whether
 * anything is shown or stroked outside marked content (untagged content a reader would still read).
 */
function markedContents(objects: Map<number, PdfObject>) {
  const byPage = new Map<number, Map<number, string>>()
  let unmarked = 0
  for (const [number, object] of objects) {
    if (!/\/Type\s*\/Page\b/.test(object.dict)) continue
    const contents = /\/Contents\s*(\d+) 0 R/.exec(object.dict)
    const stream = contents ? (objects.get(Number(contents[1]))?.stream ?? '') : ''
    const texts = new Map<number, string>()
    const stack: (number | 'artifact' | null)[] = []
    const operators = /\/(\w+)\s*<<([\s\S]*?)>>\s*BDC|\/(\w+)\s+BMC|\bEMC\b|\[([^\]]*)\]\s*TJ|(?:^|\n)(?:S|f|B)\n/g
    for (const token of stream.matchAll(operators)) {
      if (token[1]) {
        const mcid = /\/MCID\s+(\d+)/.exec(token[2])
        stack.push(token[1] === 'Artifact' ? 'artifact' : mcid ? Number(mcid[1]) : null)
      } else if (token[3]) stack.push(token[3] === 'Artifact' ? 'artifact' : null)
      else if (token[0] === 'EMC') stack.pop()
      else {
        const inside = stack.findLast((mark) => mark !== null)
        if (inside === undefined) unmarked++
        else if (typeof inside === 'number' && token[4] !== undefined) texts.set(inside, (texts.get(inside) ?? '') + shownText(token[4]) + ' ')
      }
    }
    byPage.set(number, texts)
  }
  return { byPage, unmarked }
}

/** The structure tree under the StructTreeRoot, with each element's own text, and the count of unmarked drawing. */
export function pdfStructure(pdf: Buffer): { root: PdfElement[]; elements: PdfElement[]; unmarked: number } {
  const objects = pdfObjects(pdf)
  const { byPage, unmarked } = markedContents(objects)
  const pageNumbers = [...objects.entries()].filter(([, object]) => /\/Type\s*\/Page\b/.test(object.dict)).map(([number]) => number)
  const pagesOrder = /\/Type\s*\/Pages[\s\S]*?\/Kids\s*\[([^\]]*)\]/.exec([...objects.values()].map((object) => object.dict).join('\n'))
  const order = pagesOrder ? [...pagesOrder[1].matchAll(/(\d+) 0 R/g)].map((match) => Number(match[1])) : pageNumbers
  const elements: PdfElement[] = []

  const build = (number: number, ancestors: string[]): PdfElement | null => {
    const dict = objects.get(number)?.dict ?? ''
    const type = /\/S\s*\/(\w+)/.exec(dict)?.[1]
    if (!type) return null
    const element: PdfElement = { type, text: '', ancestors, pages: [], children: [] }
    elements.push(element)
    const page = Number(/\/Pg\s*(\d+) 0 R/.exec(dict)?.[1] ?? 0)
    const kids = /\/K\s*(\[[^\]]*\]|\d+ 0 R|\d+)/.exec(dict)?.[1] ?? ''
    const parts: string[] = []
    for (const kid of kids.matchAll(/<<([^>]*)>>|(\d+) 0 R|(\d+)/g)) {
      if (kid[2]) {
        const child = build(Number(kid[2]), [...ancestors, type])
        if (child) element.children.push(child)
        continue
      }
      const onPage = kid[1] ? Number(/\/Pg\s*(\d+) 0 R/.exec(kid[1])?.[1]) : page
      const mcid = kid[1] ? Number(/\/MCID\s+(\d+)/.exec(kid[1])?.[1]) : Number(kid[3])
      parts.push(byPage.get(onPage)?.get(mcid) ?? '')
      const pageIndex = order.indexOf(onPage) + 1
      if (!element.pages.includes(pageIndex)) element.pages.push(pageIndex)
    }
    element.text = parts.join(' ').replace(/[ \t\r\n]+/g, ' ').trim()
    return element
  }

  const rootDict = pdfCatalog(pdf).structTreeRoot ?? ''
  const rootKids = /\/K\s*(\[[^\]]*\]|\d+ 0 R)/.exec(rootDict)?.[1] ?? ''
  const root = [...rootKids.matchAll(/(\d+) 0 R/g)].map((match) => build(Number(match[1]), [])).filter((element) => element !== null)
  return { root, elements, unmarked }
}

/** An element's text with its descendants', in the tree's (reading) order (no-break spaces kept). */
export function elementText(element: PdfElement): string {
  return [element.text, ...element.children.map(elementText)].filter(Boolean).join(' ').replace(/[ \t\r\n]+/g, ' ').trim()
}
