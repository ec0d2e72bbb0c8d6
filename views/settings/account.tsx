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

export interface AccountView {
  email: string;
  roleLabel: string;
  timezone: string;
  version: number;
  mfaEnabled: boolean;
  recoveryCodesLeft: number;
  tenantRequiresMfa: boolean;
  canAdminister: boolean;
}

export interface AccountPageProps {
  layout: LayoutAdmin | null;
  account: AccountView;
  timeZones: string[];
  now: Date;
  required?: 'password' | 'mfa';
  notice?: string;
  error?: string;
}

const REQUIRED_MESSAGES = {
  password: 'Your password was set by someone else. Choose your own password to continue.',
  mfa: 'Your organisation requires two-step verification. Set it up to continue.',
};

export function AccountPage({ layout, account, timeZones, now, required, notice, error }: AccountPageProps) {
  return (
    <Layout title="Your account" admin={layout} current="/settings/account" crumbs={[{ label: 'Settings' }, { label: 'Account' }]}>
      <h1 class="mb-3 text-xl font-semibold">Your account</h1>
      <SettingsTabs current="/settings/account" canAdminister={account.canAdminister} premium={layout?.premium} />
      {required ? (
        <p role="alert" class="mb-4 rounded bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
          {REQUIRED_MESSAGES[required]}
        </p>
      ) : null}
      <Notice message={notice} />
      <ErrorNotice message={error} />
      <p class="mb-4 text-sm text-slate-600 dark:text-slate-300">
        Signed in as <strong>{account.email}</strong>, {account.roleLabel}.
      </p>
      <PasswordSection version={account.version} />
      <TwoFactorSection account={account} />
      <TimezoneSection account={account} timeZones={timeZones} now={now} />
    </Layout>
  );
}

function PasswordSection({ version }: { version: number }) {
  return (
    <Section title="Password" id="password">
      <form method="post" action="/settings/account/password" class="max-w-sm space-y-3">
        <input type="hidden" name="version" value={String(version)} />
        <label class="block text-sm font-medium">
          Current password
          <input class={inputClass} type="password" name="currentPassword" autocomplete="current-password" required />
        </label>
        <label class="block text-sm font-medium">
          New password <span class="font-normal text-slate-600 dark:text-slate-400">(at least 12 characters)</span>
          <input class={inputClass} type="password" name="newPassword" autocomplete="new-password" minlength={12} required />
        </label>
        <label class="block text-sm font-medium">
          New password again
          <input class={inputClass} type="password" name="confirmPassword" autocomplete="new-password" minlength={12} required />
        </label>
        <p class="text-sm text-slate-600 dark:text-slate-400">Changing it signs you out everywhere else.</p>
        <button type="submit" class={buttonClass}>
          Change password
        </button>
      </form>
    </Section>
  );
}

function TwoFactorSection({ account }: { account: AccountView }) {
  if (!account.mfaEnabled) {
    return (
      <Section title="Two-step verification" id="two-factor">
        <p class="mb-3 text-sm">
          Off. {account.tenantRequiresMfa ? 'Your organisation requires it. ' : ''}Sign-in will ask for a code from an authenticator
          app as well as your password.
        </p>
        <a href="/settings/account/two-factor" class={buttonClass}>
          Set up two-step verification
        </a>
      </Section>
    );
  }
  return (
    <Section title="Two-step verification" id="two-factor">
      <p class="mb-3 text-sm">
        On. {account.recoveryCodesLeft} of 10 recovery codes left.
      </p>
      <div class="grid gap-4 md:grid-cols-2">
        <form method="post" action="/settings/account/two-factor/recovery-codes" class="space-y-2">
          <h3 class="font-medium">New recovery codes</h3>
          <p class="text-sm text-slate-600 dark:text-slate-400">Replaces all your recovery codes, used or not.</p>
          <label class="block text-sm font-medium">
            Current password
            <input class={inputClass} type="password" name="password" autocomplete="current-password" required />
          </label>
          <button type="submit" class={secondaryButtonClass}>
            Generate new codes
          </button>
        </form>
        <form method="post" action="/settings/account/two-factor/remove" class="space-y-2">
          <h3 class="font-medium">Turn off</h3>
          {account.tenantRequiresMfa ? <p class="text-sm text-amber-700">Your organisation requires it: you will have to set it up again.</p> : null}
          <input type="hidden" name="version" value={String(account.version)} />
          <label class="block text-sm font-medium">
            Current password
            <input class={inputClass} type="password" name="password" autocomplete="current-password" />
          </label>
          <label class="block text-sm font-medium">
            or a code (app or recovery)
            <input class={inputClass} type="text" name="code" autocomplete="one-time-code" maxlength={32} />
          </label>
          <button type="submit" class={dangerButtonClass}>
            Turn off two-step verification
          </button>
        </form>
      </div>
    </Section>
  );
}

function TimezoneSection({ account, timeZones, now }: { account: AccountView; timeZones: string[]; now: Date }) {
  return (
    <Section title="Timezone" id="timezone">
      <p class="mb-3 text-sm">
        Times show in this timezone. Now: <Time date={now} timeZone={account.timezone} />
      </p>
      <form method="post" action="/settings/account/timezone" class="flex max-w-md items-end gap-2">
        <input type="hidden" name="version" value={String(account.version)} />
        <label class="block flex-1 text-sm font-medium">
          Timezone
          <select class={inputClass} name="timezone">
            {timeZones.map((zone) => (
              <option value={zone} selected={zone === account.timezone}>
                {zone}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class={buttonClass}>
          Save
        </button>
      </form>
    </Section>
  );
}

export interface TwoFactorSetupPageProps {
  layout: LayoutAdmin | null;
  secret: string;
  uri: string;
  qrDataUrl: string;
  version: number;
  error?: string;
}

/** Enrolment: the key (as a QR code, a URI and text) and the code that proves the app has it. */
export function TwoFactorSetupPage({ layout, secret, uri, qrDataUrl, version, error }: TwoFactorSetupPageProps) {
  return (
    <Layout
      title="Set up two-step verification"
      admin={layout}
      current="/settings/account"
      crumbs={[{ label: 'Settings' }, { label: 'Account', href: '/settings/account' }, { label: 'Two-step verification' }]}
    >
      <h1 class="mb-3 text-xl font-semibold">Set up two-step verification</h1>
      <ErrorNotice message={error} />
      <Section title="1. Add Riskdesk to your authenticator app">
        <p class="mb-3 text-sm">Scan this code with the app, or type the key in.</p>
        <img src={qrDataUrl} alt="QR code of the key below" width="200" height="200" class="mb-3 rounded border border-slate-200 bg-white" />
        <p class="text-sm">
          Key: <code class="break-all font-mono" data-testid="totp-secret">{secret}</code>
        </p>
        <p class="mt-1 text-xs text-slate-600 dark:text-slate-400">
          <a href={uri} class="break-all hover:underline">
            {uri}
          </a>
        </p>
      </Section>
      <Section title="2. Enter the code the app shows">
        <form method="post" action="/settings/account/two-factor" class="flex max-w-sm items-end gap-2">
          <input type="hidden" name="version" value={String(version)} />
          <input type="hidden" name="secret" value={secret} />
          <label class="block flex-1 text-sm font-medium">
            Code
            <input class={inputClass} type="text" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength={8} required autofocus />
          </label>
          <button type="submit" class={buttonClass}>
            Turn on
          </button>
        </form>
      </Section>
    </Layout>
  );
}

export interface RecoveryCodesPageProps {
  layout: LayoutAdmin | null;
  codes: string[];
  heading: string;
}

/** Recovery codes, shown this once: only their hashes are kept. */
export function RecoveryCodesPage({ layout, codes, heading }: RecoveryCodesPageProps) {
  return (
    <Layout title="Recovery codes" admin={layout} current="/settings/account" crumbs={[{ label: 'Settings' }, { label: 'Account', href: '/settings/account' }, { label: 'Recovery codes' }]}>
      <h1 class="mb-3 text-xl font-semibold">{heading}</h1>
      <Section title="Your recovery codes">
        <p class="text-sm">
          Each code signs you in once if you lose your authenticator app. Save them somewhere safe now: <strong>they are not shown again</strong>.
        </p>
        <OneTimeSecrets items={codes} />
        <a href="/settings/account" class={buttonClass}>
          I have saved them
        </a>
      </Section>
    </Layout>
  );
}
