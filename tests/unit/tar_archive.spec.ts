import { createHash, randomBytes } from 'node:crypto'
import { spawnSync } from 'node:child_process'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { gzipSync } from 'node:zlib'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { readTar, TarFormatError, TarWriter } from '#core/tar_archive'

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

async function readAll(path: string) {
  const entries: Record<string, Buffer> = {}
  for await (const entry of readTar(path)) {
    const chunks: Buffer[] = []
    for await (const chunk of entry.content) chunks.push(chunk)
    entries[entry.name] = Buffer.concat(chunks)
  }
  return entries
}

test.group('tar.gz archives of the backups', (group) => {
  const folder = app.tmpPath(`tar-${process.pid}`)
  group.setup(async () => {
    await mkdir(folder, { recursive: true })
    return () => rm(folder, { recursive: true, force: true })
  })

  test('files, long and accented names, streams and empty files come back byte for byte', async ({ assert }) => {
    const files: Record<string, Buffer> = {
      'base/portail.sqlite3': randomBytes(700_000),
      'fichiers/vide.txt': Buffer.alloc(0),
      [`fichiers/${'document-'.repeat(20)}.pdf`]: randomBytes(513),
      'fichiers/élèves/Noé.pdf': Buffer.from('%PDF-1.4\n'),
      'manifeste.json': Buffer.from('{}\n'),
    }
    const archive = `${folder}/a.tar.gz`
    const writer = new TarWriter(archive)
    for (const [name, bytes] of Object.entries(files)) {
      const hash = await writer.add(name, bytes.length, name.startsWith('base/') ? Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]) : bytes)
      assert.equal(hash, sha256(bytes))
    }
    await writer.close()
    const read = await readAll(archive)
    assert.deepEqual(Object.keys(read), Object.keys(files))
    for (const [name, bytes] of Object.entries(files)) assert.isTrue(read[name].equals(bytes), name)

    // The system's tar reads it too (when there is one).
    const listing = spawnSync('tar', ['-tzf', archive], { encoding: 'utf8' })
    if (listing.status === 0) assert.deepEqual(listing.stdout.trim().split('\n'), Object.keys(files))
  })

  test('an entry whose size does not match its content is refused', async ({ assert }) => {
    const writer = new TarWriter(`${folder}/b.tar.gz`)
    await assert.rejects(() => writer.add('fichiers/x', 10, Readable.from([Buffer.alloc(4)])), /a changé pendant la sauvegarde/)
    writer.abort()
  })

  test('garbage, a gzip that is not a tar, and a cut archive are refused as such', async ({ assert }) => {
    const whole = `${folder}/c.tar.gz`
    const writer = new TarWriter(whole)
    await writer.add('fichiers/x', 100_000, randomBytes(100_000))
    await writer.close()
    const cut = (await readFile(whole)).subarray(0, 20_000)
    const cases = {
      'garbage': [randomBytes(3000), "ce n'est pas une archive tar.gz"],
      'plain gzip': [gzipSync(Buffer.from('bonjour\n'.repeat(200))), "ce n'est pas une archive tar"],
      'cut': [cut, 'archive tronquée'],
    } as const
    for (const [label, [bytes, reason]] of Object.entries(cases)) {
      const path = `${folder}/${label}.tar.gz`
      await writeFile(path, bytes)
      await assert.rejects(() => readAll(path), TarFormatError, new RegExp(`^${reason.replace('.', '\\.')}$`))
    }
  })
})
