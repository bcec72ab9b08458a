import edge from 'edge.js'
import { formatDate, formatDateLong, formatDateTime, formatNewsDate } from '#core/format'
import { bySex, byCount, de, elide, elides, formatEuros, formatMoney, formatNumber, plural } from '#core/french'

edge.global('formatDate', formatDate)
edge.global('formatDateLong', formatDateLong)
edge.global('formatDateTime', formatDateTime)
edge.global('formatNewsDate', formatNewsDate)
edge.global('formatMoney', formatMoney)
edge.global('plural', plural)
edge.global('formatNumber', formatNumber)
edge.global('formatEuros', formatEuros)
edge.global('elide', elide)
edge.global('de', de)
edge.global('elides', elides)
edge.global('byCount', byCount)
edge.global('bySex', bySex)
