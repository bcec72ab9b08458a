import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs'
import { once } from 'node:events'
import { createGunzip, createGzip } from 'node:zlib'
import type { Readable } from 'node:stream'

/**
 * A tar.gz archive, written and read as a stream, of plain files only (POSIX ustar with pax
 * headers for long or accented names): `tar -tzf` and `tar -xzf` read it. Just what the
 * portal's backups need, without a dependency.
 */

const BLOCK = 512
const END = Buffer.alloc(BLOCK * 2)

export class TarFormatError extends Error {}

function octal(value: number, width: number) {
  return value.toString(8).padStart(width - 1, '0') + '\0'
}

function header(name: string, size: number, type: '0' | 'x', mtime: number) {
  const block = Buffer.alloc(BLOCK)
  block.write(name.slice(0, 99), 0, 'ascii')
  block.write(octal(0o600, 8), 100, 'ascii')
  block.write(octal(0, 8), 108, 'ascii')
  block.write(octal(0, 8), 116, 'ascii')
  block.write(octal(size, 12), 124, 'ascii')
  block.write(octal(Math.floor(mtime / 1000), 12), 136, 'ascii')
  block.fill(' ', 148, 156)
  block.write(type, 156, 'ascii')
  block.write('ustar\0' + '00', 257, 'ascii')
  let sum = 0
  for (const byte of block) sum += byte
  block.write(octal(sum, 7) + ' ', 148, 'ascii')
  return block
}

function padding(size: number) {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK)
}

/** A pax record "<length> path=<name>\n", the length counting itself. */
function paxPath(name: string) {
  const body = ` path=${name}\n`
  let length = Buffer.byteLength(body) + 1
  while (String(length).length + Buffer.byteLength(body) !== length) length++
  return Buffer.from(`${length}${body}`, 'utf8')
}

export class TarWriter {
  private gzip = createGzip()
  private output: WriteStream
  private done: Promise<unknown>

  constructor(path: string) {
    const output = (this.output = createWriteStream(path, { flags: 'wx', mode: 0o600 }))
    this.gzip.pipe(output)
    this.done = new Promise((resolve, reject) => {
      output.on('finish', () => resolve(undefined))
      output.on('error', reject)
      this.gzip.on('error', reject)
    })
    // A write that fails (no such folder, disk full) stops the writes waiting on the compressor.
    output.on('error', (error) => this.gzip.destroy(error))
    this.done.catch(() => {})
  }

  private async write(chunk: Buffer) {
    if (this.gzip.destroyed) await this.done
    if (!this.gzip.write(chunk)) await once(this.gzip, 'drain')
  }

  /**
   * Adds one file of `size` bytes from `content`; returns its sha256. Fails when the content
   * is not exactly `size` bytes long (a file changed while being archived).
   */
  async add(name: string, size: number, content: Readable | Buffer, mtime = Date.now()): Promise<string> {
    const plain = /^[\x20-\x7e]{1,99}$/.test(name)
    if (!plain) {
      const record = paxPath(name)
      await this.write(header('PaxHeader', record.length, 'x', mtime))
      await this.write(Buffer.concat([record, padding(record.length)]))
    }
    await this.write(header(plain ? name : name.replace(/[^\x20-\x7e]/g, '_').slice(-99), size, '0', mtime))
    const hash = createHash('sha256')
    let written = 0
    for await (const chunk of Buffer.isBuffer(content) ? [content] : content) {
      written += chunk.length
      if (written > size) break
      hash.update(chunk)
      await this.write(chunk)
    }
    if (written !== size) {
      if (!Buffer.isBuffer(content)) content.destroy()
      throw new TarFormatError(`le fichier « ${name} » a changé pendant la sauvegarde (${written} octets lus au lieu de ${size})`)
    }
    await this.write(padding(size))
    return hash.digest('hex')
  }

  async close() {
    await this.write(END)
    this.gzip.end()
    await this.done
  }

  /** Stops writing after a failure (the caller removes the file). */
  abort() {
    this.gzip.destroy()
    this.output.destroy()
  }
}

/** Reads exactly the bytes asked for from a stream of chunks. */
class ByteReader {
  private buffered: Buffer[] = []
  private length = 0
  constructor(private source: AsyncIterator<Buffer>) {}

  private async fill(wanted: number) {
    while (this.length < wanted) {
      const next = await this.source.next().catch((error: NodeJS.ErrnoException) => {
        if (error.syscall) throw error
        throw new TarFormatError(error.code === 'Z_BUF_ERROR' ? 'archive tronquée' : "ce n'est pas une archive tar.gz")
      })
      if (next.done) return false
      this.buffered.push(next.value)
      this.length += next.value.length
    }
    return true
  }

  async take(size: number): Promise<Buffer | null> {
    if (!(await this.fill(size))) return null
    const all = Buffer.concat(this.buffered)
    this.buffered = [all.subarray(size)]
    this.length = all.length - size
    return all.subarray(0, size)
  }

  /** Passes `size` bytes on, chunk by chunk; `progress.left` says how many were not asked for. */
  async *pass(size: number, progress = { left: size }): AsyncGenerator<Buffer> {
    progress.left = size
    while (progress.left > 0) {
      if (this.length === 0 && !(await this.fill(1))) throw new TarFormatError('archive tronquée')
      const all = Buffer.concat(this.buffered)
      const part = all.subarray(0, Math.min(progress.left, all.length))
      this.buffered = [all.subarray(part.length)]
      this.length = all.length - part.length
      progress.left -= part.length
      yield part
    }
  }
}

function field(block: Buffer, start: number, length: number) {
  const raw = block.subarray(start, start + length)
  const end = raw.indexOf(0)
  return raw.subarray(0, end === -1 ? length : end).toString('utf8')
}

function checksumOk(block: Buffer) {
  let sum = 0
  for (let index = 0; index < BLOCK; index++) sum += index >= 148 && index < 156 ? 32 : block[index]
  return sum === Number.parseInt(field(block, 148, 8).trim(), 8)
}

async function drain(chunks: AsyncIterable<Buffer>) {
  for await (const chunk of chunks) void chunk
}

export interface TarEntry {
  name: string
  size: number
  /** The entry's bytes: consume them before asking for the next entry. */
  content: AsyncGenerator<Buffer>
}

/** The files of a tar.gz archive, in order. Throws TarFormatError on anything else than a tar.gz. */
export async function* readTar(path: string): AsyncGenerator<TarEntry> {
  const gunzip = createReadStream(path).pipe(createGunzip())
  const reader = new ByteReader(gunzip[Symbol.asyncIterator]())
  let paxName: string | null = null
  try {
    for (;;) {
      const block = await reader.take(BLOCK)
      if (!block) throw new TarFormatError('archive tronquée')
      if (block.equals(END.subarray(0, BLOCK))) return
      if (!checksumOk(block)) throw new TarFormatError("ce n'est pas une archive tar")
      const size = Number.parseInt(field(block, 124, 12).trim() || '0', 8)
      const type = String.fromCharCode(block[156] || 48)
      const prefix = field(block, 345, 155)
      const name = paxName ?? (prefix ? `${prefix}/` : '') + field(block, 0, 100)
      paxName = null
      const padded = size + padding(size).length
      if (type === 'x') {
        const record = (await reader.take(padded))?.subarray(0, size).toString('utf8') ?? ''
        paxName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(record)?.[1] ?? null
      } else if (type === '0') {
        const progress = { left: size }
        yield { name, size, content: reader.pass(size, progress) }
        await drain(reader.pass(progress.left + padded - size))
      } else if (size > 0) {
        await drain(reader.pass(padded))
      }
    }
  } finally {
    gunzip.destroy()
  }
}
