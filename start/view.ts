import edge, { edgeGlobals } from "edge.js";
import app from "@adonisjs/core/services/app";
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

// Edge's component-tag plugin re-reads every views folder (readdir + existsSync) for each
// renderer, that is each request, because the singleton is built before `cache: true` is
// configured. Templates do not change in production: the list is read once.
if (app.inProduction) {
  const listComponents = edge.loader.listComponents.bind(edge.loader);
  let components: ReturnType<typeof listComponents> | undefined;
  edge.loader.listComponents = () => (components ??= listComponents());
}
