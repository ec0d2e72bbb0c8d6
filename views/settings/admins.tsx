import { Layout, type LayoutAdmin } from '../layout.js';
import { Time } from '../components/time.js';
import {
  buttonClass,
  dangerButtonClass,
  ErrorNotice,
  inputClass,
  Notice,
  OneTimeSecrets,
  Section,
  secondaryButtonClass,
  SettingsTabs,
} from './parts.js';

export interface AdminRow {
  id: string;
  email: string;
  role: string;
  version: number;
  mfaEnabled: boolean;
  mustChangePassword: boolean;
  createdAt: Date;
  isSelf: boolean;
}

export interface AdminsPageProps {
  layout: LayoutAdmin | null;
  tenantName: string;
  mfaRequired: boolean;
  admins: AdminRow[];
  roles: { value: string; label: string }[];
  timeZone: string;
  notice?: string;
  error?: string;
  created?: { email: string; temporaryPassword: string };
}

export function AdminsPage(props: AdminsPageProps) {
  const { layout, tenantName, admins, created } = props;
  return (
    <Layout title="Admins" admin={layout} current="/settings/account" crumbs={[{ label: 'Settings' }, { label: 'Admins' }]}>
      <h1 class="mb-3 text-xl font-semibold">Admins of {tenantName}</h1>
      <SettingsTabs current="/settings/admins" canAdminister={true} premium={layout?.premium} />
      <Notice message={props.notice} />
      <ErrorNotice message={props.error} />
      {created ? (
        <Section title={`${created.email} was added`}>
          <p class="text-sm">
            Their temporary password is below. Give it to them over a safe channel: it is <strong>not shown again</strong>, and they must
            choose their own password when they first sign in.
          </p>
          <OneTimeSecrets items={[created.temporaryPassword]} />
        </Section>
      ) : null}
      <Section title="Admins">
        <table class="w-full text-left text-sm">
          <thead class="text-xs uppercase text-slate-600 dark:text-slate-400">
            <tr>
              <th class="py-1 pr-3">Email</th>
              <th class="py-1 pr-3">Role</th>
              <th class="py-1 pr-3">Two-step verification</th>
              <th class="py-1 pr-3">Added</th>
              <th class="py-1">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {admins.map((admin) => (
              <AdminTableRow admin={admin} roles={props.roles} timeZone={props.timeZone} />
            ))}
          </tbody>
        </table>
      </Section>
      <AddAdminSection roles={props.roles} />
      <MfaRequiredSection mfaRequired={props.mfaRequired} />
    </Layout>
  );
}

function AdminTableRow({ admin, roles, timeZone }: { admin: AdminRow; roles: AdminsPageProps['roles']; timeZone: string }) {
  return (
    <tr class="border-t border-slate-200 align-top dark:border-slate-800" id={`admin-${admin.id}`}>
      <td class="py-2 pr-3">
        {admin.email}
        {admin.isSelf ? <span class="ml-1 text-slate-600 dark:text-slate-400">(you)</span> : null}
        {admin.mustChangePassword ? <span class="ml-1 text-xs text-amber-700">temporary password</span> : null}
      </td>
      <td class="py-2 pr-3">
        <form method="post" action={`/settings/admins/${admin.id}/role`} class="flex gap-1">
          <input type="hidden" name="version" value={String(admin.version)} />
          <select name="role" aria-label={`Role of ${admin.email}`} class="rounded border border-slate-300 bg-white px-1 dark:border-slate-700 dark:bg-slate-900">
            {roles.map((role) => (
              <option value={role.value} selected={role.value === admin.role}>
                {role.label}
              </option>
            ))}
          </select>
          <button type="submit" class={secondaryButtonClass}>
            Change
          </button>
        </form>
      </td>
      <td class="py-2 pr-3">
        {admin.mfaEnabled ? 'On' : 'Off'}
        {admin.mfaEnabled && !admin.isSelf ? (
          <form method="post" action={`/settings/admins/${admin.id}/reset-mfa`} class="mt-1">
            <input type="hidden" name="version" value={String(admin.version)} />
            <button type="submit" class={secondaryButtonClass}>
              Reset (lost device)
            </button>
          </form>
        ) : null}
      </td>
      <td class="whitespace-nowrap py-2 pr-3">
        <Time date={admin.createdAt} timeZone={timeZone} />
      </td>
      <td class="py-2">
        {admin.isSelf ? null : (
          <form method="post" action={`/settings/admins/${admin.id}/remove`}>
            <input type="hidden" name="version" value={String(admin.version)} />
            <button type="submit" class={dangerButtonClass}>
              Remove
            </button>
          </form>
        )}
      </td>
    </tr>
  );
}

function AddAdminSection({ roles }: { roles: AdminsPageProps['roles'] }) {
  return (
    <Section title="Add an admin">
      <form method="post" action="/settings/admins" class="flex max-w-2xl flex-wrap items-end gap-2">
        <label class="block min-w-64 flex-1 text-sm font-medium">
          Email
          <input class={inputClass} type="email" name="email" required />
        </label>
        <label class="block text-sm font-medium">
          Role
          <select class={inputClass} name="role">
            {roles.map((role) => (
              <option value={role.value} selected={role.value === 'security_reader'}>
                {role.label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class={buttonClass}>
          Add
        </button>
      </form>
      <p class="mt-2 text-sm text-slate-600 dark:text-slate-400">A temporary password is generated and shown once; it must be changed at first sign-in.</p>
    </Section>
  );
}

function MfaRequiredSection({ mfaRequired }: { mfaRequired: boolean }) {
  return (
    <Section title="Two-step verification for everyone">
      <p class="mb-3 text-sm">
        {mfaRequired
          ? 'Required: every admin of this tenant must use two-step verification; those without it are sent to set it up.'
          : 'Not required: each admin decides for their own account.'}
      </p>
      <form method="post" action="/settings/admins/mfa-required">
        <input type="hidden" name="mfaRequired" value={mfaRequired ? 'false' : 'true'} />
        <button type="submit" class={mfaRequired ? dangerButtonClass : buttonClass}>
          {mfaRequired ? 'Stop requiring it' : 'Require it for all admins'}
        </button>
      </form>
    </Section>
  );
}
