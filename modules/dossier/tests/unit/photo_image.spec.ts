import { readFileSync } from 'node:fs'
import { crc32 } from 'node:zlib'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { formatNumber } from '#core/french'
import { cleanPhoto, PhotoRefused } from '#modules/dossier/services/photo_image'

const fixture = (name: string) => readFileSync(app.makePath('modules/dossier/tests/fixtures', name))
const PNG = fixture('photo.png')
const JPEG = fixture('photo.jpg')
const WEBP = fixture('photo.webp')

function pngChunk(type: string, data: Buffer) {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'latin1')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])))
  return Buffer.concat([head, data, crc])
}

function jpegSegment(marker: number, text: string) {
  const body = Buffer.from(text, 'latin1')
  const head = Buffer.alloc(4)
  head.writeUInt16BE(marker, 0)
  head.writeUInt16BE(body.length + 2, 2)
  return Buffer.concat([head, body])
}

function webpChunk(type: string, data: Buffer) {
  const head = Buffer.alloc(8)
  head.write(type, 0, 'latin1')
  head.writeUInt32LE(data.length, 4)
  return Buffer.concat([head, data, data.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)])
}

async function refusal(bytes: Buffer) {
  try {
    await cleanPhoto(bytes)
  } catch (error) {
    if (error instanceof PhotoRefused) return error.message
    throw error
  }
  return null
}

test.group('Dossier: photos read by content', () => {
  test('the three formats are recognised with their dimensions', async ({ assert }) => {
    const [png, jpeg, webp] = [await cleanPhoto(PNG), await cleanPhoto(JPEG), await cleanPhoto(WEBP)]
    assert.deepEqual([png.kind, png.width, png.height], ['png', 40, 30])
    assert.deepEqual([jpeg.kind, jpeg.width, jpeg.height], ['jpeg', 60, 48])
    assert.deepEqual([webp.kind, webp.width, webp.height], ['webp', 48, 36])
  })

  test('JPEG: EXIF, XMP and comments go, and anything after the end of the image', async ({ assert }) => {
    const dirty = Buffer.concat([
      JPEG.subarray(0, 2),
      jpegSegment(0xffe1, 'Exif\0\0GPS 43.7N'),
      jpegSegment(0xffe1, 'http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>Camera</x:xmpmeta>'),
      jpegSegment(0xfffe, 'commentaire secret'),
      JPEG.subarray(2),
      Buffer.from('PK\x03\x04 hidden archive', 'latin1'),
    ])
    const clean = await cleanPhoto(dirty)
    const text = clean.bytes.toString('latin1')
    for (const word of ['Exif', 'GPS', 'xmpmeta', 'commentaire', 'hidden']) assert.notInclude(text, word)
    assert.isAtMost(clean.bytes.length, JPEG.length)
  })

  test('PNG: text, EXIF and time chunks go; a wrong CRC, a cut image data or an unknown critical chunk is refused', async ({ assert }) => {
    const iend = PNG.length - 12
    const withText = Buffer.concat([PNG.subarray(0, 33), pngChunk('tEXt', Buffer.from('Author\0Maman')), pngChunk('eXIf', Buffer.from('MM\0*GPS')), pngChunk('tIME', Buffer.alloc(7)), PNG.subarray(33)])
    const clean = await cleanPhoto(withText)
    assert.notInclude(clean.bytes.toString('latin1'), 'Maman')
    assert.notInclude(clean.bytes.toString('latin1'), 'GPS')
    assert.deepEqual(clean.bytes, PNG)

    const badCrc = Buffer.from(PNG)
    badCrc[iend - 1] ^= 0xff
    assert.include(await refusal(badCrc), 'lisible')
    const idatStart = PNG.indexOf('IDAT') - 4
    const idatLength = PNG.readUInt32BE(idatStart)
    const cutData = PNG.subarray(idatStart + 8, idatStart + 8 + Math.floor(idatLength / 2))
    const cut = Buffer.concat([PNG.subarray(0, idatStart), pngChunk('IDAT', cutData), PNG.subarray(iend)])
    assert.include(await refusal(cut), 'lisible')
    assert.include(await refusal(Buffer.concat([PNG.subarray(0, 33), pngChunk('ZZZZ', Buffer.alloc(2)), PNG.subarray(33)])), 'lisible')
  })

  test('WebP: EXIF and XMP chunks go and their flags are cleared', async ({ assert }) => {
    const chunks = WEBP.subarray(12)
    const vp8x = Buffer.from(chunks.subarray(0, 18))
    vp8x[8] |= 0x08 | 0x04
    const body = Buffer.concat([vp8x, chunks.subarray(18), webpChunk('EXIF', Buffer.from('MM\0*GPS 43.7N')), webpChunk('XMP ', Buffer.from('<x:xmpmeta/>'))])
    const header = Buffer.from('RIFF\0\0\0\0WEBP', 'latin1')
    header.writeUInt32LE(body.length + 4, 4)
    const clean = await cleanPhoto(Buffer.concat([header, body]))
    assert.notInclude(clean.bytes.toString('latin1'), 'GPS')
    assert.notInclude(clean.bytes.toString('latin1'), 'xmpmeta')
    assert.equal(clean.bytes[20] & 0x0c, 0)
    assert.equal(clean.bytes.readUInt32LE(4), clean.bytes.length - 8)
  })

  test('dimensions past 10,000 pixels are refused in words, before any decoding', async ({ assert }) => {
    const huge = Buffer.from(PNG)
    huge.writeUInt32BE(20_000, 16)
    huge.writeUInt32BE(crc32(huge.subarray(12, 29)), 29)
    assert.include(await refusal(huge), `trop grande (${formatNumber(20_000)} × 30 pixels)`)
  })

  test('anything else is refused: text, GIF, SVG, a bare signature', async ({ assert }) => {
    for (const bytes of [Buffer.from('bonjour'), Buffer.from('GIF89a'), Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), JPEG.subarray(0, 4), PNG.subarray(0, 8), WEBP.subarray(0, 16)]) {
      assert.include(await refusal(bytes), "n'est pas une image JPEG, PNG ou WebP lisible")
    }
  })
})
