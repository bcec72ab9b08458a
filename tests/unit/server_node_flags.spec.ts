import { readFileSync } from 'node:fs'
import { test } from '@japa/runner'
import { SERVER_NODE_FLAGS } from '../../scripts/server_node_flags.js'

test.group('The web server’s Node flags', () => {
  test('the systemd unit of docs/PRODUCTION.md starts the server with every one of them', ({ assert }) => {
    const guide = readFileSync(new URL('../../docs/PRODUCTION.md', import.meta.url), 'utf8')
    const execStart = /^ExecStart=(.*)$/m.exec(guide)?.[1] ?? ''
    assert.match(execStart, /build\/bin\/server\.js$/)
    const flags = execStart.split(/\s+/).slice(1, -1)
    assert.deepEqual(flags, SERVER_NODE_FLAGS)
  })

  test('each flag is one Node accepts in NODE_OPTIONS too (a host may set them there)', ({ assert }) => {
    for (const flag of SERVER_NODE_FLAGS) assert.isTrue(process.allowedNodeEnvironmentFlags.has(flag.split('=')[0]), flag)
  })
})
