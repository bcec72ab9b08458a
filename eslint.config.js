import { readdirSync } from 'node:fs'
import { configApp } from '@adonisjs/eslint-config'

/*
 * Module boundaries. A module imports another only through its face, `#modules/<name>/index`;
 * everything else in modules/<name>/ is private. The core (app/, start/) knows modules only
 * through the registry. Static imports are checked by no-restricted-imports, `import()` by
 * no-restricted-syntax (the former does not see dynamic imports).
 */
const MODULES = readdirSync(new URL('./modules/', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)

const FACE_MESSAGE = 'Import another module only through its face: #modules/<name>/index (docs/MODULES.md, "Rules").'
const CORE_MESSAGE = 'The core (app/, start/) knows modules only through the registry (app/core/module_*.ts, providers/modules_provider.ts).'

/** esquery reads a regular expression up to the next "/": spell "/" as \x2F inside one. */
const importCall = (regex, message) => ({ selector: `ImportExpression[source.value=/${regex.replaceAll('/', '\\x2F')}/]`, message })

function boundaries(name, { tests }) {
  // A module's tests may also use another module's test helpers (#modules/<name>/tests/...).
  const deep = `^#modules/(?!${name}/)[^/]+/(?!index$${tests ? '|tests/' : ''})`
  const others = MODULES.filter((other) => other !== name).join('|')
  const relative = `^(\\.\\./)+(modules/)?(${others})(/|$)`
  return {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          { regex: deep, message: FACE_MESSAGE },
          { regex: relative, message: FACE_MESSAGE },
        ],
      },
    ],
    'no-restricted-syntax': ['error', importCall(deep, FACE_MESSAGE), importCall(relative, FACE_MESSAGE)],
  }
}

const moduleBoundaries = MODULES.flatMap((name) => [
  {
    name: `Portail Famille: module ${name} imports others through their face`,
    files: [`modules/${name}/**/*.ts`],
    ignores: [`modules/${name}/tests/**`],
    rules: boundaries(name, { tests: false }),
  },
  {
    name: `Portail Famille: module ${name}'s tests import others through their face or test helpers`,
    files: [`modules/${name}/tests/**/*.ts`],
    rules: boundaries(name, { tests: true }),
  },
])

const coreBoundaries = {
  name: 'Portail Famille: the core knows modules only through the registry',
  files: ['app/**/*.ts', 'start/**/*.ts', 'providers/**/*.ts'],
  ignores: [
    // The registry: it discovers and mounts the modules.
    'app/core/module_*.ts',
    'start/module_commands.ts',
  ],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          { regex: '^#modules/', message: CORE_MESSAGE },
          { regex: '^(\\.\\./)+modules/', message: CORE_MESSAGE },
        ],
      },
    ],
    'no-restricted-syntax': ['error', importCall('^#modules/', CORE_MESSAGE), importCall('^(\\.\\./)+modules/', CORE_MESSAGE)],
  },
}

/*
 * config/ names what a package needs from a module (auth's user model from accounts, a required
 * module) through the module's face only.
 */
const configBoundaries = {
  name: 'Portail Famille: config reaches a module only through its face',
  files: ['config/**/*.ts'],
  rules: {
    'no-restricted-imports': ['error', { patterns: [{ regex: '^#modules/[^/]+/(?!index$)', message: FACE_MESSAGE }] }],
    'no-restricted-syntax': ['error', importCall('^#modules/[^/]+/(?!index$)', FACE_MESSAGE)],
  },
}

/*
 * AdonisJS rules minus formatting: prettier (`npm run format`) owns layout, lint owns
 * correctness. Purely stylistic rules are off so that modules written in parallel pass CI
 * on what matters.
 */
export default configApp(
  { ignores: ['build/**', 'tmp/**', 'node_modules/**', 'storage/**', 'public/**'] },
  {
    name: 'Portail Famille: no formatting rules',
    rules: {
      'prettier/prettier': 'off',
      'max-len': 'off',
      'curly': 'off',
      'brace-style': 'off',
      'comma-dangle': 'off',
      'padded-blocks': 'off',
      'no-multi-spaces': 'off',
      'no-multiple-empty-lines': 'off',
      'no-trailing-spaces': 'off',
      'eol-last': 'off',
      'space-in-parens': 'off',
      'rest-spread-spacing': 'off',
      'no-mixed-spaces-and-tabs': 'off',
      'one-var': 'off',
      // `(await response.json()).value` is clear enough.
      '@unicorn/no-await-expression-member': 'off',
    },
  },
  {
    name: 'Portail Famille: modules written in parallel',
    files: ['modules/**/*.ts'],
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    rules: {
      '@typescript-eslint/no-shadow': 'off',
      'no-control-regex': 'off',
    },
  },
  ...moduleBoundaries,
  coreBoundaries,
  configBoundaries
)
