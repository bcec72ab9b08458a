import { createInflate, crc32 } from 'node:zlib'
import { sniffKind } from '#services/upload_service'
import { formatNumber } from '#core/french'

export type PhotoKind = 'jpeg' | 'png' | 'webp'

export const PHOTO_MIME: Record<PhotoKind, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' }

/** A side of 10,000 pixels and 50 megapixels: more than any phone gives, less than a decompression bomb. */
const MAX_SIDE = 10_000
const MAX_PIXELS = 50_000_000

export class PhotoRefused extends Error {}

export interface CleanPhoto {
  kind: PhotoKind
  width: number
  height: number
  /** The same image without its metadata (EXIF, GPS, XMP, comments, text chunks). */
  bytes: Buffer
}

const broken = () => new PhotoRefused("Ce fichier n'est pas une image JPEG, PNG ou WebP lisible : son contenu ne correspond pas.")

function checkSize(width: number, height: number) {
  if (!width || !height) throw broken()
  if (width > MAX_SIDE || height > MAX_SIDE || width * height > MAX_PIXELS) {
    throw new PhotoRefused(`Cette image est trop grande (${formatNumber(width)} × ${formatNumber(height)} pixels) : ${formatNumber(MAX_SIDE)} pixels de côté et ${formatNumber(MAX_PIXELS / 1_000_000)} millions de pixels au plus.`)
  }
}

/**
 * Recognises a photo by its content (never its name nor the browser's claim), walks its whole
 * structure, reads its dimensions and rewrites it without metadata. No image library is in
 * node_modules: PNG data is inflated to the byte; JPEG and WebP are walked segment by segment to
 * their end and their frame header read, without decoding the pixels.
 */
export async function cleanPhoto(bytes: Buffer): Promise<CleanPhoto> {
  const head = bytes.subarray(0, 16)
  const kind = sniffKind(head)
  if (kind === 'jpeg') return { kind, ...cleanJpeg(bytes) }
  if (kind === 'png') return { kind, ...(await cleanPng(bytes)) }
  if (head.subarray(0, 4).toString('latin1') === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WEBP') return { kind: 'webp', ...cleanWebp(bytes) }
  throw broken()
}

// ---- JPEG: keep the segments the decoder needs, drop APP1 (EXIF, XMP), APP3–APP15 but Adobe, COM.

const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf])

function keepJpegSegment(marker: number, body: Buffer): boolean {
  if (marker === 0xe0) return body.subarray(0, 5).toString('latin1') === 'JFIF\0'
  if (marker === 0xe2) return body.subarray(0, 12).toString('latin1') === 'ICC_PROFILE\0'
  if (marker === 0xee) return body.subarray(0, 5).toString('latin1') === 'Adobe'
  if (marker >= 0xe1 && marker <= 0xef) return false
  return marker !== 0xfe
}

function cleanJpeg(bytes: Buffer) {
  const parts: Buffer[] = [bytes.subarray(0, 2)]
  let width = 0
  let height = 0
  let scanned = false
  let pos = 2
  for (;;) {
    if (pos + 1 >= bytes.length || bytes[pos] !== 0xff) throw broken()
    while (bytes[pos + 1] === 0xff && pos + 2 < bytes.length) pos++
    const marker = bytes[pos + 1]
    if (marker === 0xd9) {
      if (!scanned || !width) throw broken()
      parts.push(bytes.subarray(pos, pos + 2))
      break
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      parts.push(bytes.subarray(pos, pos + 2))
      pos += 2
      continue
    }
    if (pos + 4 > bytes.length) throw broken()
    const length = bytes.readUInt16BE(pos + 2)
    const end = pos + 2 + length
    if (length < 2 || end > bytes.length) throw broken()
    const body = bytes.subarray(pos + 4, end)
    if (SOF_MARKERS.has(marker)) {
      if (body.length < 6) throw broken()
      height = body.readUInt16BE(1)
      width = body.readUInt16BE(3)
      checkSize(width, height)
    }
    if (keepJpegSegment(marker, body)) parts.push(bytes.subarray(pos, end))
    pos = end
    if (marker === 0xda) {
      if (!width) throw broken()
      scanned = true
      // Entropy-coded data runs to the next marker that is neither a stuffed 0xFF00 nor a restart.
      const start = pos
      while (pos + 1 < bytes.length && !(bytes[pos] === 0xff && bytes[pos + 1] !== 0 && !(bytes[pos + 1] >= 0xd0 && bytes[pos + 1] <= 0xd7))) pos++
      parts.push(bytes.subarray(start, pos))
    }
  }
  return { width, height, bytes: Buffer.concat(parts) }
}

// ---- PNG: CRCs checked, image data inflated to its exact size, text/EXIF/time chunks dropped.

const PNG_KEPT = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND', 'tRNS', 'gAMA', 'cHRM', 'sRGB', 'iCCP', 'sBIT', 'bKGD', 'pHYs'])
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
]

function pngRawSize(width: number, height: number, bitsPerPixel: number, interlaced: boolean): number {
  const rows = (w: number, h: number) => (w && h ? h * (1 + Math.ceil((w * bitsPerPixel) / 8)) : 0)
  if (!interlaced) return rows(width, height)
  return ADAM7.reduce((sum, [x0, y0, dx, dy]) => sum + rows(Math.ceil((width - x0) / dx), Math.ceil((height - y0) / dy)), 0)
}

/** Inflates without holding the result: only its length matters, and a bomb stops at `limit`. */
function inflatedLength(data: Buffer, limit: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const inflate = createInflate()
    let total = 0
    inflate.on('data', (chunk: Buffer) => {
      total += chunk.length
      if (total > limit) inflate.destroy()
    })
    inflate.on('close', () => resolve(total))
    inflate.on('error', () => reject(broken()))
    inflate.end(data)
  })
}

async function cleanPng(bytes: Buffer) {
  const parts: Buffer[] = [bytes.subarray(0, 8)]
  const idat: Buffer[] = []
  let width = 0
  let height = 0
  let bitsPerPixel = 0
  let interlaced = false
  let pos = 8
  let ended = false
  while (!ended) {
    if (pos + 12 > bytes.length) throw broken()
    const length = bytes.readUInt32BE(pos)
    const type = bytes.subarray(pos + 4, pos + 8).toString('latin1')
    const end = pos + 12 + length
    if (end > bytes.length || !/^[A-Za-z]{4}$/.test(type)) throw broken()
    const data = bytes.subarray(pos + 8, pos + 8 + length)
    if (crc32(bytes.subarray(pos + 4, pos + 8 + length)) !== bytes.readUInt32BE(pos + 8 + length)) throw broken()
    if ((pos === 8) !== (type === 'IHDR')) throw broken()
    if (type === 'IHDR') {
      if (length !== 13) throw broken()
      width = data.readUInt32BE(0)
      height = data.readUInt32BE(4)
      const [depth, colorType, compression, filter, interlace] = data.subarray(8, 13)
      if (!CHANNELS[colorType] || ![1, 2, 4, 8, 16].includes(depth) || compression || filter || interlace > 1) throw broken()
      checkSize(width, height)
      bitsPerPixel = CHANNELS[colorType] * depth
      interlaced = interlace === 1
    }
    if (type === 'IDAT') idat.push(data)
    if (type === 'IEND') ended = true
    // An unknown critical chunk (upper-case first letter) means an image we cannot vouch for.
    if (!PNG_KEPT.has(type) && type[0] === type[0].toUpperCase()) throw broken()
    if (PNG_KEPT.has(type)) parts.push(bytes.subarray(pos, end))
    pos = end
  }
  const expected = pngRawSize(width, height, bitsPerPixel, interlaced)
  if (!idat.length || (await inflatedLength(Buffer.concat(idat), expected)) !== expected) throw broken()
  return { width, height, bytes: Buffer.concat(parts) }
}

// ---- WebP: still images only; EXIF and XMP chunks dropped and their VP8X flags cleared.

function vp8Size(type: string, data: Buffer): [number, number] {
  if (type === 'VP8 ') {
    if (data.length < 10 || (data[0] & 1) !== 0 || data[3] !== 0x9d || data[4] !== 0x01 || data[5] !== 0x2a) throw broken()
    return [data.readUInt16LE(6) & 0x3fff, data.readUInt16LE(8) & 0x3fff]
  }
  if (data.length < 5 || data[0] !== 0x2f) throw broken()
  const bits = data.readUInt32LE(1)
  return [(bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1]
}

function cleanWebp(bytes: Buffer) {
  const riffEnd = 8 + bytes.readUInt32LE(4)
  if (riffEnd > bytes.length || riffEnd < 20) throw broken()
  const chunks: { type: string; raw: Buffer; data: Buffer }[] = []
  for (let pos = 12; pos < riffEnd; ) {
    if (pos + 8 > riffEnd) throw broken()
    const type = bytes.subarray(pos, pos + 4).toString('latin1')
    const length = bytes.readUInt32LE(pos + 4)
    const end = pos + 8 + length + (length % 2)
    if (pos + 8 + length > riffEnd) throw broken()
    chunks.push({ type, raw: bytes.subarray(pos, Math.min(end, riffEnd)), data: bytes.subarray(pos + 8, pos + 8 + length) })
    pos = end
  }
  const image = chunks.find((chunk) => chunk.type === 'VP8 ' || chunk.type === 'VP8L')
  if (!image) throw broken()
  const [width, height] = vp8Size(image.type, image.data)
  checkSize(width, height)
  const extended = chunks[0].type === 'VP8X' ? chunks[0] : null
  if (extended) {
    if (extended.data.length < 10) throw broken()
    if (extended.data[0] & 0x02) throw new PhotoRefused('Les images animées ne sont pas acceptées : choisissez une photo fixe.')
    const canvasWidth = 1 + extended.data.readUIntLE(4, 3)
    const canvasHeight = 1 + extended.data.readUIntLE(7, 3)
    if (canvasWidth !== width || canvasHeight !== height) throw broken()
  } else if (chunks[0] !== image) throw broken()
  const kept = chunks
    .filter((chunk) => ['VP8X', 'ICCP', 'ALPH', 'VP8 ', 'VP8L'].includes(chunk.type))
    .map((chunk) => {
      if (chunk.type !== 'VP8X') return chunk.raw
      const copy = Buffer.from(chunk.raw)
      copy[8] &= ~(0x08 | 0x04) // the EXIF and XMP flags
      return copy
    })
  const body = Buffer.concat(kept)
  const header = Buffer.alloc(12)
  header.write('RIFF', 0, 'latin1')
  header.writeUInt32LE(body.length + 4, 4)
  header.write('WEBP', 8, 'latin1')
  return { width, height, bytes: Buffer.concat([header, body]) }
}
