import { promisify } from 'node:util'
import { gunzip, gzip } from 'node:zlib'

/*
 * The files sent to the bank and to the Trésor public are kept in their row, to be downloaded
 * again byte for byte: a 20,000-family month's PES file is 35 MB of XML, its SEPA file 10 MB.
 * Writing that text inside the recording transaction held SQLite's write lock (and, on SQLite,
 * every parent's request) for half a second, and each month added it to the database. They are
 * stored gzipped (~20 times smaller), compressed beforehand on libuv's threads rather than the
 * event loop, and marked so that the rows written before, as plain XML, read as they are.
 */

const MARK = 'gzip-base64:'
const gzipAsync = promisify(gzip)
const gunzipAsync = promisify(gunzip)

/** The text as a row keeps it (compressed on libuv's threads). */
export async function packXml(xml: string): Promise<string> {
  return MARK + (await gzipAsync(Buffer.from(xml, 'utf8'))).toString('base64')
}

/** The file's text from what a row holds, packed or plain (decompressed on libuv's threads). */
export async function unpackXml(stored: string): Promise<string> {
  if (!stored.startsWith(MARK)) return stored
  return (await gunzipAsync(Buffer.from(stored.slice(MARK.length), 'base64'))).toString('utf8')
}
