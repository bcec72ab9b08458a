import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import ace from '@adonisjs/core/services/ace'
import db from '@adonisjs/lucid/services/db'
import { dbTime } from '#core/db_time'
import Family from '#modules/dossier/models/family'
import HistoryEntry from '#modules/dossier/models/history_entry'
import RefreshQuotients from '#modules/dossier/commands/refresh_quotients'
import { createFamily } from '#modules/dossier/tests/factories'
import { IDENTITIES, useApiParticulierStandin } from '#modules/dossier/tests/api_particulier'

type Identity = (typeof IDENTITIES)[keyof typeof IDENTITIES]

/** A family whose guardian gave this birth identity and consented (QF 700 before). */
async function consentingFamily(identity: Identity, quotient = 700) {
  const { family, guardian, user } = await createFamily({
    family: { familyQuotient: quotient, quotientSource: 'CAF' },
    guardians: [{ birthName: identity.birthName, birthFirstNames: identity.firstNames, birthSex: identity.sex, birthDate: identity.birthDate, birthCountryCode: identity.birthCountryCode, birthCommuneCode: identity.birthCommuneCode || null }],
  })
  await db.table('quotient_consents').insert({ family_id: family.id, guardian_id: guardian.id, user_id: user.id, given_at: dbTime() })
  return family
}

async function run(flags: string[]) {
  const command = await ace.create(RefreshQuotients, flags)
  await command.exec()
  const output = command.ui.logger.getLogs().map((log) => log.message).join('\n')
  return { command, output }
}

test.group('Dossier: families:refresh-qf', (group) => {
  const api = useApiParticulierStandin(group)
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => {
    ace.ui.switchMode('raw')
    return () => ace.ui.switchMode('normal')
  })

  test('50 consenting families, two failing: 48 updated within the rate limits, the two reported in words, exit code 1', async ({ assert }) => {
    const families: Family[] = []
    for (let index = 0; index < 48; index++) families.push(await consentingFamily(index % 2 ? IDENTITIES.msa150 : IDENTITIES.caf2550))
    const missing = await consentingFamily(IDENTITIES.notFound)
    const throttled = await consentingFamily(IDENTITIES.tooMany)
    const refused = await createFamily({ family: { familyQuotient: 700 } }) // no consent: never asked

    const { command, output } = await run([])
    assert.equal(command.exitCode, 1)
    assert.include(output, `famille ${missing.reference} : Identité non trouvée`)
    assert.include(output, `famille ${throttled.reference} : Trop de demandes`)
    assert.include(output, '50 familles : 48 mises à jour, 0 inchangée, 0 conservée (quotient fixé par le service), 2 en échec.')
    // The portal kept under the published limits: the stand-in never had to refuse it.
    assert.equal(api.standin.throttled, 0)
    // The 429 was tried again after Retry-After before being reported.
    const throttledCalls = api.standin.calls.filter((call) => call.query.get('nomNaissance') === 'Desfouin')
    assert.lengthOf(throttledCalls, 2)

    for (const family of families) await family.refresh()
    assert.deepEqual([...new Set(families.map((family) => family.familyQuotient))].sort(), [150, 2550])
    await missing.refresh()
    await throttled.refresh()
    await refused.family.refresh()
    assert.deepEqual([missing.familyQuotient, throttled.familyQuotient, refused.family.familyQuotient], [700, 700, 700])
    const lines = await HistoryEntry.query().whereIn('family_id', families.map((family) => family.id)).where('kind', 'quotient-updated')
    assert.lengthOf(lines, 48)
    assert.include(lines[0].text, 'mise à jour périodique du service')
    const audits = await db.from('audit_logs').where('action', 'dossier.quotient.api-particulier')
    assert.lengthOf(audits, 51)
    assert.isTrue(audits.every((row) => row.actor_id === null && JSON.parse(row.details).by === 'commande families:refresh-qf'))

    // Run again: the values are the same, nothing changes.
    const again = await run(['--family', families[0].reference])
    assert.equal(again.command.exitCode, 0)
    assert.include(again.output, '1 famille : 0 mise à jour, 1 inchangée')
  })

  test('--dry-run asks and writes nothing; --family names an unknown or non-consenting family', async ({ assert }) => {
    const family = await consentingFamily(IDENTITIES.msa150)
    const { command, output } = await run(['--dry-run'])
    assert.equal(command.exitCode, 0)
    assert.include(output, `famille ${family.reference} : 150 (la MSA,`)
    assert.include(output, 'remplacerait 700')
    assert.include(output, 'Simulation')
    await family.refresh()
    assert.equal(family.familyQuotient, 700)
    assert.lengthOf(await db.from('quotient_fetches').where('family_id', family.id), 0)

    const unknown = await run(['--family', 'NEXISTE-PAS'])
    assert.equal(unknown.command.exitCode, 1)
    assert.include(unknown.output, 'Aucune famille n\'a la référence « NEXISTE-PAS »')
    const other = await createFamily()
    const notConsenting = await run(['--family', other.family.reference])
    assert.equal(notConsenting.command.exitCode, 1)
    assert.include(notConsenting.output, "n'a pas donné son accord")
  })

  test('a QF set by the service is kept and said so', async ({ assert }) => {
    const family = await consentingFamily(IDENTITIES.msa150, 910)
    await Family.query().where('id', family.id).update({ quotient_origin: 'service' })
    const { command, output } = await run(['--family', family.reference])
    assert.equal(command.exitCode, 0)
    assert.include(output, 'quotient fixé par le service : conservé')
    await family.refresh()
    assert.equal(family.familyQuotient, 910)
  })
})
