import edge, { edgeGlobals } from "edge.js";
import {
  formatDate,
  formatDateLong,
  formatDateTime,
  formatNewsDate,
} from "#core/format";
import {
  bySex,
  byCount,
  de,
  elide,
  elides,
  formatEuros,
  formatMoney,
  formatNumber,
  plural,
} from "#core/french";
import { safeAttrs } from "#core/html_attributes";

const formatting = {
  formatDate,
  formatDateLong,
  formatDateTime,
  formatNewsDate,
  formatMoney,
  plural,
  formatNumber,
  formatEuros,
  elide,
  de,
  elides,
  byCount,
  bySex,
};
for (const [name, helper] of Object.entries(formatting))
  edge.global(name, helper);

// Edge's own html.attrs leaves quotes unescaped: every template gets the escaping one.
edge.global("html", { ...edgeGlobals.html, attrs: safeAttrs });
