import { test } from '@japa/runner'
import vine, { errors } from '@vinejs/vine'
import { byCount, bySex, de, elide, formatEuros, formatMoney, formatNumber, plural } from '#core/french'
import { formatMoney as formatMoneyOfFormat, plural as pluralOfFormat } from '#core/format'

const N = '\u202f'
const NB = '\u00a0'

test.group('French typography', () => {
  test('"de" elides before a vowel, accented or not, and a y before a consonant', ({ assert }) => {
    assert.equal(de('Inès'), "d'Inès")
    assert.equal(de('Lucas'), 'de Lucas')
    assert.equal(de('Émile'), "d'Émile")
    assert.equal(de('Îlyes'), "d'Îlyes")
    assert.equal(de('Œnone'), "d'Œnone")
    assert.equal(de('août 2026'), "d'août 2026")
    assert.equal(de('octobre 2026'), "d'octobre 2026")
    assert.equal(de('septembre 2026'), 'de septembre 2026')
    assert.equal(de('Èze'), "d'Èze")
    assert.equal(de('Colomars'), 'de Colomars')
    assert.equal(de('Yves'), "d'Yves")
    assert.equal(de('Yanis'), 'de Yanis')
    assert.equal(de('Hélène'), "d'Hélène")
    assert.equal(de('Hanna'), 'de Hanna')
    assert.equal(de('Hautes-Alpes'), 'de Hautes-Alpes')
    assert.equal(de('11 mai'), 'de 11 mai')
    assert.equal(de(''), 'de ')
  })

  test('the other elided words', ({ assert }) => {
    assert.equal(elide('que', 'Inès'), "qu'Inès")
    assert.equal(elide('que', 'Lucas'), 'que Lucas')
    assert.equal(elide('la', 'activité'), "l'activité")
    assert.equal(elide('le', 'accueil'), "l'accueil")
    assert.equal(elide('le', 'mercredi'), 'le mercredi')
    assert.equal(elide('De', 'Anaïs'), "D'Anaïs")
    assert.equal(elide('Que', 'Anaïs'), "Qu'Anaïs")
  })

  test('numbers group by three with a narrow no-break space', ({ assert }) => {
    assert.equal(formatNumber(5), '5')
    assert.equal(formatNumber(1050), `1${N}050`)
    assert.equal(formatNumber(1234567), `1${N}234${N}567`)
    assert.equal(formatNumber(12.5), '12,5')
    assert.equal(formatNumber(1050, 2), `1${N}050,00`)
    assert.equal(formatNumber(-1050), `-1${N}050`)
  })

  test('money always carries cents and its unit', ({ assert }) => {
    assert.equal(formatMoney(800), `8,00${NB}€`)
    assert.equal(formatMoney(105000), `1${N}050,00${NB}€`)
    assert.equal(formatMoney(123456789), `1${N}234${N}567,89${NB}€`)
    assert.equal(formatMoney(-550), `-5,50${NB}€`)
    assert.equal(formatMoney(0), `0,00${NB}€`)
    assert.equal(formatMoney(null), `0,00${NB}€`)
    assert.equal(formatEuros(1050), `1${N}050${NB}€`)
    assert.equal(formatMoneyOfFormat(105000), formatMoney(105000), 'one helper, re-exported')
  })

  test('plural by count, French style: 0 and 1 take the singular', ({ assert }) => {
    assert.equal(plural(0, 'jour'), '0 jour')
    assert.equal(plural(1, 'jour'), '1 jour')
    assert.equal(plural(3, 'jour'), '3 jours')
    assert.equal(plural(1050, 'jour'), `1${N}050 jours`)
    assert.equal(plural(2, 'jour réservé', 'jours réservés'), '2 jours réservés')
    assert.equal(plural(1, 'famille déjà facturée', 'familles déjà facturées'), '1 famille déjà facturée')
    assert.equal(byCount(1, 'attend', 'attendent'), 'attend')
    assert.equal(byCount(4, 'attend', 'attendent'), 'attendent')
    assert.equal(pluralOfFormat(2, 'facture'), '2 factures')
  })

  test('participles agree with a known sex, else the neutral wording', ({ assert }) => {
    assert.equal(bySex('F', 'inscrit', 'inscrite', 'a une inscription'), 'inscrite')
    assert.equal(bySex('M', 'inscrit', 'inscrite', 'a une inscription'), 'inscrit')
    assert.equal(bySex(null, 'inscrit', 'inscrite', 'a une inscription'), 'a une inscription')
  })

  test('validation messages agree with the count of a list rule', async ({ assert }) => {
    const messagesOf = async (schema: ReturnType<typeof vine.array>, value: unknown[]) => {
      try {
        await vine.compile(vine.object({ days: schema })).validate({ days: value })
      } catch (error) {
        if (error instanceof errors.E_VALIDATION_ERROR) return error.messages.map((m: { message: string }) => m.message)
        throw error
      }
      return []
    }
    assert.deepEqual(await messagesOf(vine.array(vine.string()).minLength(1), []), ['Choisissez au moins 1 élément.'])
    assert.deepEqual(await messagesOf(vine.array(vine.string()).maxLength(2), ['a', 'b', 'c']), ['Choisissez au plus 2 éléments.'])
  })
})
