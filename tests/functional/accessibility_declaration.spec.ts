import { test } from '@japa/runner'
import { readFileSync } from 'node:fs'
import app from '@adonisjs/core/services/app'
import router from '@adonisjs/core/services/router'
import testUtils from '@adonisjs/core/services/test_utils'
import communeSettings from '#services/commune_settings'
import {
  AUDIT_PATH,
  RGAA_41_CRITERIA,
  auditProblems,
  conformanceStatus,
  type AccessibilityAudit,
} from '#services/accessibility_audit'
import { CHILDHOOD_SERVICE, useColomars } from '#tests/helpers/commune'

/**
 * The declaration at /accessibilite is computed from the audit kept in the repository
 * (docs/accessibility/audit.json): the audit must cover the whole sample and the 106 criteria,
 * and the page must say what the file says.
 */

/** The sample the issue audited: 12 pages in 21 states, by URL pattern. */
const SAMPLE = [
  '/',
  '/connexion',
  '/simulateur-tarifaire',
  '/accueil',
  '/dossier',
  '/planning',
  '/planning/recapitulatif',
  '/facturation/:id',
  '/facturation/:id/payer',
  '/messagerie/nouveau',
  '/gestion/familles',
  '/gestion/familles/:id/modifier',
]

/** The file as committed, read here without the application's reader. */
function auditFile(): AccessibilityAudit {
  return JSON.parse(readFileSync(app.makePath(AUDIT_PATH), 'utf8'))
}

/** C / (C + NC), as the RGAA computes it, with one decimal in French. */
function expectedRate(audit: AccessibilityAudit) {
  const conforming = audit.criteria.filter((criterion) => criterion.result === 'C').length
  const nonConforming = audit.criteria.filter((criterion) => criterion.result === 'NC').length
  const rate = (conforming / (conforming + nonConforming)) * 100
  return { conforming, nonConforming, rate, text: `${rate.toFixed(1).replace('.', ',')} %` }
}

test.group('Accessibility audit file', () => {
  test('every page of the sample is in the audit, with its states and an existing route', ({ assert }) => {
    const audit = auditFile()
    const patterns = audit.sample.map((page) => page.urlPattern)
    for (const pattern of SAMPLE) assert.include(patterns, pattern, `la page ${pattern} de l’échantillon manque dans ${AUDIT_PATH}`)
    assert.lengthOf(audit.sample, SAMPLE.length)
    assert.equal(
      audit.sample.reduce((total, page) => total + page.states.length, 0),
      21,
      '21 états audités'
    )
    const routes = router.toJSON().root
    for (const page of audit.sample) {
      const route = routes.find((candidate) => candidate.name === page.route)
      assert.isDefined(route, `route ${page.route}`)
      assert.equal(route!.pattern, page.urlPattern, page.route)
      assert.isNotEmpty(page.states, page.urlPattern)
    }
  })

  test('the 106 criteria of the RGAA 4.1, each once, with a result and its evidence', ({ assert }) => {
    const audit = auditFile()
    assert.lengthOf(RGAA_41_CRITERIA, 106)
    assert.sameMembers(
      audit.criteria.map((criterion) => criterion.number),
      RGAA_41_CRITERIA
    )
    assert.deepEqual(auditProblems(audit), [])
  })

  test('a missing, duplicated or unknown criterion, a bad result or no evidence is reported', ({ assert }) => {
    const audit = auditFile()
    const criteria = audit.criteria.filter((criterion) => criterion.number !== '7.5')
    criteria.push({ ...criteria[0] }, { number: '14.1', title: 'Inventé', result: 'C', evidence: 'x' })
    criteria[1] = { ...criteria[1], result: 'OK' as any, evidence: ' ' }
    assert.sameMembers(auditProblems({ ...audit, criteria }), [
      'critère 7.5 absent',
      'critère 1.1 présent 2 fois',
      'critère 14.1 inconnu du RGAA 4.1',
      `critère ${criteria[1].number} : résultat « OK »`,
      `critère ${criteria[1].number} sans justification`,
    ])
  })

  test('the status follows the rate: 100 % totally, at least 50 % partially, below that not', ({ assert }) => {
    assert.equal(conformanceStatus(100), 'totalement conforme')
    assert.equal(conformanceStatus(99.9), 'partiellement conforme')
    assert.equal(conformanceStatus(50), 'partiellement conforme')
    assert.equal(conformanceStatus(49.9), 'non conforme')
  })
})

test.group('Accessibility declaration page', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('/accessibilite shows the rate computed from the audit, the status, the non-conformities, the sample', async ({ client, assert }) => {
    await useColomars()
    const audit = auditFile()
    const { conforming, nonConforming, rate, text } = expectedRate(audit)
    const status = conformanceStatus(rate)
    const response = await client.get('/accessibilite')
    response.assertStatus(200)
    const html = response.text()
    assert.include(html, 'La commune de Colomars s’engage à rendre son service en ligne accessible')
    assert.include(html, `<strong>${status}</strong> avec le référentiel général d’amélioration de l’accessibilité (RGAA), version 4.1`)
    assert.include(html, `<strong data-rate>${text}</strong>`)
    assert.include(html, `${conforming} critères conformes sur ${conforming + nonConforming} critères applicables`)
    // With none, the page says so instead of an empty list.
    const nonConformities = html.match(/<ul data-non-conformities>([\s\S]*?)<\/ul>/)?.[1] ?? ''
    if (!nonConforming) assert.include(html, 'Aucune : chaque critère applicable est respecté sur l’échantillon.')
    for (const criterion of audit.criteria) {
      if (criterion.result === 'NC') assert.include(nonConformities, `Critère ${criterion.number} (`)
      else assert.notInclude(nonConformities, `Critère ${criterion.number} (`)
    }
    const sample = html.match(/<ol data-sample>([\s\S]*?)<\/ol>/)![1]
    for (const pattern of SAMPLE) assert.include(sample, `<code>${pattern}</code>`)
    assert.include(html, 'Dérogations pour charge disproportionnée')
    assert.include(html, 'Pages de paiement PayFiP')
    for (const technology of audit.technologies) assert.include(html, technology)
  })

  test('the contact is the commune’s, and the complaint routes are the Défenseur des droits’', async ({ client, assert }) => {
    await useColomars({ label: 'Accueil de loisirs', phone: '04 93 00 00 02', address: 'Chemin des écoles', email: 'loisirs@colomars.fr' })
    const html = (await client.get('/accessibilite')).text()
    const contacts = html.match(/<ul data-contacts>([\s\S]*?)<\/ul>/)![1]
    assert.include(contacts, CHILDHOOD_SERVICE.label)
    assert.include(contacts, CHILDHOOD_SERVICE.phone)
    assert.include(contacts, 'href="mailto:loisirs@colomars.fr"')
    const complaints = html.match(/<ul data-complaints>([\s\S]*?)<\/ul>/)![1]
    assert.include(complaints, 'href="https://formulaire.defenseurdesdroits.fr/"')
    assert.include(complaints, 'href="https://www.defenseurdesdroits.fr/saisir/delegues"')
    assert.include(complaints, 'Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07')
  })

  test('without a contact set up, the declaration sends to the town hall', async ({ client, assert }) => {
    await communeSettings.update({ name: 'Levens', contacts: [] })
    const html = (await client.get('/accessibilite')).text()
    assert.include(html, 'Adressez-vous à la mairie de Levens.')
  })

  test('the footer of every page says the computed status', async ({ client, assert }) => {
    await useColomars()
    const status = conformanceStatus(expectedRate(auditFile()).rate)
    for (const url of ['/', '/accessibilite', '/mentions-legales', '/cette-page-n-existe-pas']) {
      const html = (await client.get(url)).text()
      assert.include(html, `<a href="/accessibilite">Accessibilité : ${status}</a>`, url)
    }
  })
})
