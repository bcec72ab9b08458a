import { Bouncer } from '@adonisjs/bouncer'

/** What the portal's abilities read of an account (accounts' User has it). */
interface Account {
  role: string
}

/** The staff pages (/gestion): agents and administrators. */
export const actAsStaff = Bouncer.ability((account: Account) => account.role === 'staff' || account.role === 'admin')

/** The commune's settings, the accounts of agents, the modules: administrators only. */
export const administer = Bouncer.ability((account: Account) => account.role === 'admin')
