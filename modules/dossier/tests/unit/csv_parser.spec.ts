import { test } from '@japa/runner'
import fc from 'fast-check'
import iconv from 'iconv-lite'
import { CsvSyntaxError, decodeCsv, detectDelimiter, parseCsv } from '#modules/dossier/services/import/csv_parser'

test.group('Dossier: CSV parser', () => {
  test('header, records and the line where each record starts', ({ assert }) => {
    const parsed = parseCsv('a;b;c\r\n1;2;3\r\n"x\r\ny";"say ""hi""";\r\n\r\n4;5;6\r\n')
    assert.equal(parsed.delimiter, ';')
    assert.deepEqual(parsed.header, ['a', 'b', 'c'])
    assert.deepEqual(parsed.records, [
      { line: 2, cells: ['1', '2', '3'] },
      { line: 3, cells: ['x\ny', 'say "hi"', ''] },
      { line: 6, cells: ['4', '5', '6'] },
    ])
  })

  test('commas, LF, CR alone, no final newline, BOM', ({ assert }) => {
    assert.deepEqual(parseCsv('\ufeffa,b\n1,"2,5"').records, [{ line: 2, cells: ['1', '2,5'] }])
    assert.deepEqual(parseCsv('a;b\r1;2\r3;4').records, [
      { line: 2, cells: ['1', '2'] },
      { line: 3, cells: ['3', '4'] },
    ])
    assert.equal(parseCsv('\ufeffa;b\n').header[0], 'a')
  })

  test('the delimiter is the more frequent of ; and , outside quotes in the first line', ({ assert }) => {
    assert.equal(detectDelimiter('"a;b;c",d,e\n1;2;3;4'), ',')
    assert.equal(detectDelimiter('nom;prénom;ville, pays\n'), ';')
  })

  test('an unclosed quote and text after a closing quote are errors with their line', ({ assert }) => {
    assert.throws(() => parseCsv('a;b\n1;"open\n\n'), CsvSyntaxError)
    try {
      parseCsv('a;b\n1;2\n3;"open\nstill')
    } catch (error) {
      assert.instanceOf(error, CsvSyntaxError)
      assert.equal((error as CsvSyntaxError).line, 3)
    }
    try {
      parseCsv('a;b\n1;"x"y\n')
      assert.fail('should throw')
    } catch (error) {
      assert.equal((error as CsvSyntaxError).line, 2)
    }
  })

  test('encodings: UTF-8 with and without BOM, Windows-1252 detected or forced', ({ assert }) => {
    const text = 'Hélène;N’Diaye;Cœur;5 €;François;è'
    assert.deepEqual(decodeCsv(Buffer.from('\ufeff' + text, 'utf8')), { text, encoding: 'utf-8' })
    assert.deepEqual(decodeCsv(Buffer.from(text, 'utf8')), { text, encoding: 'utf-8' })
    assert.deepEqual(decodeCsv(iconv.encode(text, 'win1252')), { text, encoding: 'windows-1252' })
    assert.equal(decodeCsv(Buffer.from('abc'), 'windows-1252').encoding, 'windows-1252')
  })

  test('property: any table written by the RFC 4180 rules parses back to itself', ({ assert }) => {
    const cellArb = fc.string({ unit: fc.constantFrom('a', 'é', ' ', ';', ',', '"', '\n', '\r\n', 'x', '€', '’'), maxLength: 8 })
    fc.assert(
      fc.property(
        fc.constantFrom(';', ','),
        fc.constantFrom('\r\n', '\n'),
        fc.integer({ min: 1, max: 5 }).chain((width) => fc.array(fc.array(cellArb, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 6 })),
        (sep, eol, rows) => {
          const header = rows[0].map((_, index) => `c${index}`)
          const quote = (value: string) => (/[";,\r\n]/.test(value) || value.trim() !== value || value === '' ? `"${value.replace(/"/g, '""')}"` : value)
          const text = [header, ...rows].map((row) => row.map(quote).join(sep)).join(eol) + eol
          const parsed = parseCsv(text, sep as ';' | ',')
          const expected = rows.map((row) => row.map((cell) => cell.replace(/\r\n/g, '\n')))
          assert.deepEqual(
            parsed.records.map((record) => record.cells),
            expected
          )
          let line = 2
          parsed.records.forEach((record, index) => {
            assert.equal(record.line, line)
            line += 1 + rows[index].join('').split(/\r\n|\n/).length - 1
          })
        }
      ),
      { numRuns: 300 }
    )
  })
})
