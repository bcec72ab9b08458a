/* Validation of generated SEPA files against the ISO 20022 schema kept in tests/standards (not a spec file). */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const PAIN_008_XSD = fileURLToPath(new URL('./standards/pain.008.001.02.xsd', import.meta.url))

/** `xmllint --noout --schema pain.008.001.02.xsd` on the text (Debian: libxml2-utils); its status and output. */
export function validatePain008(xml: string) {
  const folder = mkdtempSync(join(tmpdir(), 'pain008-'))
  try {
    const file = join(folder, 'prelevements.xml')
    writeFileSync(file, xml)
    const result = spawnSync('xmllint', ['--noout', '--schema', PAIN_008_XSD, file], { encoding: 'utf8' })
    if (result.error) throw new Error(`xmllint introuvable (apt-get install -y libxml2-utils) : ${result.error.message}`)
    return { valid: result.status === 0, output: `${result.stdout}${result.stderr}` }
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}
