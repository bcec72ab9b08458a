import { defineConfig } from '@adonisjs/core/bodyparser'

/**
 * Multipart bodies are never read here: app/middleware/upload_gate_middleware.ts reads them only
 * for routes declared with acceptsUploads (#core/upload_routes), for a signed-in user, under the
 * route's limit (40 MB a file, DOMAIN.md), and removes their temporary files when the request ends.
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
    autoProcess: false,
    convertEmptyStringsToNull: true,
    processManually: [],
    limit: '41mb',
    types: ['multipart/form-data'],
  },
})

export default bodyParserConfig
