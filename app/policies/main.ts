/*
 * Policies the core registers by name. A module's policy is used through its class,
 * `ctx.bouncer.with(FamilyPolicy)`, imported from the module's face: the core names none.
 */
export const policies = {}
