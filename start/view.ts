import edge from 'edge.js'
import { formatDate, formatDateLong, formatDateTime, formatMoney, formatNewsDate, plural } from '#core/format'

edge.global('formatDate', formatDate)
edge.global('formatDateLong', formatDateLong)
edge.global('formatDateTime', formatDateTime)
edge.global('formatNewsDate', formatNewsDate)
edge.global('formatMoney', formatMoney)
edge.global('plural', plural)
