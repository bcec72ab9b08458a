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
import publicAssets from "#start/assets";
import { accessibilityStatus } from "#services/accessibility_audit";
import { iconSvg } from "#core/icons";
import { installRequestView } from "#core/request_view";

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

// `asset('/css/portal.css')`: the URL with the content hash, cached a year (app/core/asset_url.ts).
edge.global("asset", (path: string) => publicAssets.url(path));

// `iconSvg('calendar')`: one of the portal's inline SVG icons (app/core/icons.ts), decorative unless labelled.
edge.global("iconSvg", iconSvg);

// The footer's « Accessibilité : … » follows the audit file (docs/accessibility/audit.json).
edge.global("accessibilityStatus", accessibilityStatus);

// Edge's own html.attrs leaves quotes unescaped: every template gets the escaping one.
edge.global("html", { ...edgeGlobals.html, attrs: safeAttrs });

// A request makes its renderer only when it renders a template (app/core/request_view.ts).
installRequestView();

// Edge's component-tag plugin re-reads every views folder (readdir + existsSync) for each
// renderer, that is each request, because the singleton is built before `cache: true` is
// configured. Templates do not change in production: the list is read once.
if (app.inProduction) {
  const listComponents = edge.loader.listComponents.bind(edge.loader);
  let components: ReturnType<typeof listComponents> | undefined;
  edge.loader.listComponents = () => (components ??= listComponents());
  keepCompiledPartials();
}

/**
 * Edge caches a compiled template, but not a partial (@include): every partial is read, parsed
 * and compiled again on every render, because it may see the local variables in scope where it
 * is included (the month planning spent ~8 % of its time there). Their compiled function depends
 * only on the file and the names of those variables: kept per compiler, in production only.
 */
function keepCompiledPartials() {
  type Compile = (path: string, localVariables?: string[]) => unknown
  const compiler = Object.getPrototypeOf(edge.compiler) as { compile: Compile }
  const compile = compiler.compile
  const kept = new WeakMap<object, Map<string, unknown>>()
  compiler.compile = function (this: { cacheManager: { enabled: boolean } }, path, localVariables) {
    if (!localVariables || !this.cacheManager.enabled) return compile.call(this, path, localVariables)
    let partials = kept.get(this)
    if (!partials) kept.set(this, (partials = new Map()))
    const key = `${path}\0${localVariables.join(',')}`
    let compiled = partials.get(key)
    if (compiled === undefined) partials.set(key, (compiled = compile.call(this, path, localVariables)))
    return compiled
  }
}
