import { defineConfig } from '@adonisjs/core/bodyparser'

/**
 * Uploads are capped at 40 MB per file (DOMAIN.md); a multipart request carries up to five of them.
 */
const bodyParserConfig = defineConfig({
  allowedMethods: ['POST', 'PUT', 'PATCH', 'DELETE'],
  form: {
    convertEmptyStringsToNull: true,
    types: ['application/x-www-form-urlencoded'],
    limit: '1mb',
    // qs turns a list of more than `arrayLimit` items into an object and drops fields past
    // `parameterLimit`: both sit above the longest list a page sends (the basket keeps 800
    // pairs, a bulk decision 500 ids, a day sheet one field per child).
    queryString: { arrayLimit: 1000, parameterLimit: 5000 },
  },
  json: {
    convertEmptyStringsToNull: true,
    types: [
      'application/json',
      'application/json-patch+json',
      'application/vnd.api+json',
      'application/csp-report',
    ],
    limit: '1mb',
  },
  multipart: {
    autoProcess: true,
    convertEmptyStringsToNull: true,
    processManually: [],
    limit: '205mb',
    types: ['multipart/form-data'],
  },
})

export default bodyParserConfig
