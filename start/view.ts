import edge, { edgeGlobals } from 'edge.js'
import { formatDate, formatDateLong, formatDateTime, formatNewsDate } from '#core/format'
import { bySex, byCount, de, elide, elides, formatEuros, formatMoney, formatNumber, plural } from '#core/french'
import { safeAttrs } from '#core/html_attributes'

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

// Edge's own html.attrs leaves quotes unescaped: every template gets the escaping one.
edge.global('html', { ...edgeGlobals.html, attrs: safeAttrs })
