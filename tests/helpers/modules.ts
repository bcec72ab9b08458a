import moduleRegistry from '#core/module_registry'

/**
 * Runs `work` with these modules switched off in this process's registry, then switches them
 * back on. Their routes stay mounted: only what asks the registry (menus, tiles, slots, hooks,
 * `isModuleEnabled`) sees them off, which is what a page offering a slot depends on.
 */
export async function withModulesOff<T>(names: string[], work: () => Promise<T>): Promise<T> {
  const enabled = moduleRegistry.enabled.map((manifest) => manifest.name)
  moduleRegistry.configure(moduleRegistry.all, enabled.filter((name) => !names.includes(name)))
  try {
    return await work()
  } finally {
    moduleRegistry.configure(moduleRegistry.all, enabled)
  }
}
