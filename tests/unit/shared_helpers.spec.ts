import { test } from '@japa/runner'
import { contrastRatio, suggestAccessibleColor } from '#core/contrast'
import { csvCell, toCsv } from '#core/csv'
import { formatDate, formatDateLong, formatMoney, formatNewsDate } from '#core/format'
import { safeFileName, sniffKind } from '#services/upload_service'
import { pageNumber } from '#core/pagination'
import { addDays, isCalendarDay } from '#core/calendar_day'
import { foldCase } from '#core/fold_case'

test.group('Contrast', () => {
  test('WCAG ratios of known pairs', ({ assert }) => {
    assert.approximately(contrastRatio('#000000', '#ffffff'), 21, 0.01)
    assert.approximately(contrastRatio('#767676', '#ffffff'), 4.54, 0.01)
    assert.isBelow(contrastRatio('#ffee00', '#ffffff'), 4.5)
  })

  test('a suggested colour reaches 4.5:1 against its text', ({ assert }) => {
    for (const color of ['#ffee00', '#88ccff', '#ff9900']) {
      assert.isAtLeast(contrastRatio(suggestAccessibleColor(color, '#ffffff'), '#ffffff'), 4.5)
    }
    assert.isAtLeast(contrastRatio(suggestAccessibleColor('#333333', '#000000'), '#000000'), 4.5)
  })
})

test.group('CSV for a French Excel', () => {
  test('cells that would start a formula are neutralised', ({ assert }) => {
    for (const hostile of ['=1+1', '+33 6', '-2', '@SUM(A1)', '\tx']) {
      assert.isTrue(csvCell(hostile).replace(/^"/, '').startsWith("'"), hostile)
    }
    assert.equal(csvCell('a;b'), '"a;b"')
    assert.equal(csvCell('dit "oui"'), '"dit ""oui"""')
  })

  test('BOM, semicolons and CRLF', ({ assert }) => {
    assert.equal(toCsv(['Nom', 'Prénom'], [['Durand', 'Lya']]), '\ufeffNom;Prénom\r\nDurand;Lya\r\n')
  })
})

test.group('French formats', () => {
  test('dates and money as the guide writes them', ({ assert }) => {
    assert.equal(formatDateLong('2023-05-31'), '31 mai 2023')
    assert.equal(formatDate('2023-05-31'), '31/05/2023')
    // A calendar day is written without luxon; anything else still goes through it.
    assert.equal(formatDate('2024-02-29'), '29/02/2024')
    assert.equal(formatDateLong('2024-08-01'), '1 août 2024')
    assert.equal(formatDate('2023-02-31'), 'Invalid DateTime')
    assert.equal(formatDate('2023-05-31 10:00:00'), '31/05/2023')
    assert.equal(formatNewsDate('2023-05-10'), '10 MAI 2023')
    assert.equal(formatMoney(800).replace(/\s/g, ' '), '8,00 €')
  })
})

test.group('Uploads', () => {
  test('the type comes from the content', ({ assert }) => {
    assert.equal(sniffKind(Buffer.from('%PDF-1.7\n')), 'pdf')
    assert.equal(sniffKind(Buffer.from([0xff, 0xd8, 0xff, 0xe0])), 'jpeg')
    assert.isNull(sniffKind(Buffer.from('MZ\x90\x00 executable')))
  })

  test('names lose their folders and control characters', ({ assert }) => {
    assert.equal(safeFileName('../../x.pdf'), 'x.pdf')
    assert.equal(safeFileName('..\\..\\evil\u0000.pdf'), 'evil.pdf')
    assert.equal(safeFileName('...'), 'document')
  })
})

test.group('Input of lists, dates and names', () => {
  test('a page number is a whole number from 1, anything else is page 1', ({ assert }) => {
    for (const [input, page] of [['3', 3], [2, 2], ['', 1], ['0', 1], ['-1', 1], ['abc', 1], ['1.5', 1], [undefined, 1], [null, 1], ['99999999999999999999', 1], ['5000000', 100000]] as const) {
      assert.equal(pageNumber(input), page, String(input))
    }
  })

  test('a calendar day exists: no 30 February, no month 13, no year 0', ({ assert }) => {
    for (const day of ['2026-02-28', '2028-02-29', '1999-12-31']) assert.isTrue(isCalendarDay(day), day)
    for (const day of ['2026-02-30', '0000-00-00', '2026-13-01', '2027-02-29', '31/12/2026', '2026-1-01', '', 20260101]) assert.isFalse(isCalendarDay(day), String(day))
  })

  test('days are added across month and year ends, leap days included, and taken away', ({ assert }) => {
    assert.equal(addDays('2026-05-14', 0), '2026-05-14')
    assert.equal(addDays('2026-04-30', 1), '2026-05-01')
    assert.equal(addDays('2026-12-31', 1), '2027-01-01')
    assert.equal(addDays('2026-12-25', 10), '2027-01-04')
    assert.equal(addDays('2028-02-28', 1), '2028-02-29')
    assert.equal(addDays('2028-02-29', 1), '2028-03-01')
    assert.equal(addDays('2027-02-28', 1), '2027-03-01')
    assert.equal(addDays('2100-02-28', 1), '2100-03-01', 'a century not divisible by 400 has no 29 February')
    assert.equal(addDays('2028-02-29', 365), '2029-02-28')
    assert.equal(addDays('2026-03-01', -1), '2026-02-28')
    assert.equal(addDays('2028-03-01', -1), '2028-02-29')
    assert.equal(addDays('2027-01-01', -1), '2026-12-31')
    assert.equal(addDays('2026-01-10', -40), '2025-12-01')
    // The days of a change of time in France (29 March, 25 October 2026) are 24 hours like any other here.
    assert.equal(addDays('2026-03-28', 2), '2026-03-30')
    assert.equal(addDays('2026-10-26', -2), '2026-10-24')
  })

  test('names are folded in every alphabet', ({ assert }) => {
    assert.equal(foldCase('Été Ÿoga'), foldCase('ÉTÉ ÿOGA'))
    assert.equal(foldCase('E\u0301te\u0301'), foldCase('Été'))
    assert.equal(foldCase('Straße'), foldCase('STRASSE'))
    assert.notEqual(foldCase('Été'), foldCase('Ete'))
  })
})
