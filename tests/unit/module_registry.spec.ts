import { test } from '@japa/runner'
import { ModuleConfigurationError, ModuleRegistry, parseModuleList, resolveEnabled } from '#core/module_registry'
import { defineModule } from '#core/module_manifest'

const accounts = defineModule({ name: 'accounts', label: 'Comptes', description: '', dependsOn: [], required: true })
const dossier = defineModule({ name: 'dossier', label: 'Dossier', description: '', dependsOn: ['accounts'] })
const messaging = defineModule({
  name: 'messaging',
  label: 'Messagerie',
  description: '',
  dependsOn: ['dossier'],
  parentNav: [{ label: 'MESSAGERIE', route: 'messaging.index', order: 60, activePrefix: '/messagerie' }],
})
const present = ['accounts', 'dossier', 'messaging']

test.group('Module registry', () => {
  test('an empty PORTAL_MODULES enables every present module', ({ assert }) => {
    assert.deepEqual(parseModuleList('', present), present)
    assert.deepEqual(parseModuleList(undefined, present), present)
  })

  test('the list keeps dependency order whatever the order written', ({ assert }) => {
    assert.deepEqual(parseModuleList(' Messaging, accounts ,dossier', present), present)
  })

  test('an unknown module name is refused with the list of known ones', ({ assert }) => {
    assert.throws(() => parseModuleList('accounts,facturation', present), /inconnu : « facturation ».*accounts, dossier, messaging/)
  })

  test('a module whose dependency is off refuses with a sentence naming both', ({ assert }) => {
    try {
      resolveEnabled([accounts, dossier, messaging], ['accounts', 'messaging'])
      assert.fail('should refuse')
    } catch (error) {
      assert.instanceOf(error, ModuleConfigurationError)
      assert.include((error as Error).message, '« messaging » dépend du module « dossier », qui est désactivé')
    }
  })

  test('a required module cannot be switched off', ({ assert }) => {
    assert.throws(() => resolveEnabled([accounts, dossier], ['dossier']), /« accounts » \(Comptes\) est obligatoire/)
  })

  test('menus come only from enabled modules', ({ assert }) => {
    const registry = new ModuleRegistry()
    registry.configure([accounts, dossier, messaging], ['accounts', 'dossier'])
    assert.deepEqual(registry.parentNav, [])
    registry.configure([accounts, dossier, messaging], present)
    assert.deepEqual(registry.parentNav.map((entry) => entry.label), ['MESSAGERIE'])
    assert.isFalse(registry.isEnabled('facturation'))
  })

  test('a hook is answered by the first enabled module that answers it, by none when it is off', async ({ assert }) => {
    const answering = defineModule({ ...dossier, hooks: { 'accounts.family-logins': async (reference) => (reference === 'F1' ? [7] : null) } })
    const registry = new ModuleRegistry()
    registry.configure([accounts, answering], ['accounts'])
    assert.isUndefined(registry.hook('accounts.family-logins'))
    registry.configure([accounts, answering], ['accounts', 'dossier'])
    assert.deepEqual(await registry.hook('accounts.family-logins')!('F1'), [7])
    assert.isNull(await registry.hook('accounts.family-logins')!('F2'))
  })

  test('a contribution is collected from every enabled module that gives one, in module order; none from a module off', async ({ assert }) => {
    const first = defineModule({ ...dossier, contributions: { 'dossier.export-section': async (familyId) => ({ from: 'dossier', familyId }) } })
    const second = defineModule({ ...messaging, contributions: { 'dossier.export-section': async () => null } })
    const registry = new ModuleRegistry()
    registry.configure([accounts, first, second], ['accounts'])
    assert.deepEqual(registry.contributions('dossier.export-section'), [])
    registry.configure([accounts, first, second], ['accounts', 'dossier', 'messaging'])
    const answers = registry.contributions('dossier.export-section')
    assert.deepEqual(answers.map(({ module, label }) => [module, label]), [['dossier', 'Dossier'], ['messaging', 'Messagerie']])
    assert.deepEqual(await answers[0].answer(4), { from: 'dossier', familyId: 4 })
    assert.isNull(await answers[1].answer(4))
    registry.configure([accounts, first, second], ['accounts', 'dossier'])
    assert.deepEqual(registry.contributions('dossier.export-section').map(({ module }) => module), ['dossier'])
  })
})
