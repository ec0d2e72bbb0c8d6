import { Hono, type Context } from 'hono';
import { AccountPage, RecoveryCodesPage, TwoFactorSetupPage } from '../../../views/settings/account.js';
import { ActionError } from '../../actions/errors.js';
import { countUnusedRecoveryCodes } from '../../queries/admins.js';
import type { AppEnv } from '../../app-env.js';
import {
  changePassword,
  disableTotp,
  enableTotp,
  regenerateRecoveryCodes,
  setTimezone,
  type AccountContext,
} from '../../actions/account.js';
import { clientAddress } from '../../auth/client-address.js';
import { canAdministerTenant, ROLE_LABELS } from '../../auth/permissions.js';
import { decodeTotpKey, encodeTotpKey, generateTotpKey, totpKeyUri, totpQrDataUrl } from '../../auth/totp.js';
import { redirectTo, refuse } from '../../http/render.js';
import { layoutAdmin } from '../../http/layout-admin.js';
import { field, readForm, versionField } from '../../http/forms.js';

const TIME_ZONES = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')];

const NOTICES: Record<string, string> = {
  password: 'Your password was changed. Your other sessions were signed out.',
  timezone: 'Timezone saved.',
  'mfa-off': 'Two-step verification is off.',
};

function accountContext(c: Context<AppEnv>): AccountContext {
  return { db: c.var.deps.database.db, admin: c.var.admin, sessionId: c.var.sessionId, ipAddress: clientAddress(c), now: c.var.deps.now() };
}

async function accountPage(c: Context<AppEnv>, options: { error?: string; notice?: string } = {}) {
  const { admin, tenant } = c.var;
  const required = c.req.query('required');
  return (
    <AccountPage
      layout={layoutAdmin(c)}
      account={{
        email: admin.email,
        roleLabel: ROLE_LABELS[admin.role],
        timezone: admin.timezone,
        version: admin.version,
        mfaEnabled: admin.totpSecret !== null,
        recoveryCodesLeft: admin.totpSecret ? await countUnusedRecoveryCodes(c.var.deps.database.db, admin.id) : 0,
        tenantRequiresMfa: tenant.mfaRequired,
        canAdminister: canAdministerTenant(admin.role),
      }}
      timeZones={TIME_ZONES}
      now={c.var.deps.now()}
      required={required === 'password' || required === 'mfa' ? required : undefined}
      notice={options.notice ?? NOTICES[c.req.query('done') ?? '']}
      error={options.error}
    />
  );
}

/** The enrolment page for a key; a fresh key each time it is opened, nothing saved until a code proves the app has it. */
function twoFactorSetupPage(c: Context<AppEnv>, key: Uint8Array, error?: string) {
  const uri = totpKeyUri(c.var.admin.email, key);
  return (
    <TwoFactorSetupPage layout={layoutAdmin(c)} secret={encodeTotpKey(key)} uri={uri} qrDataUrl={totpQrDataUrl(uri)} version={c.var.admin.version} error={error} />
  );
}

function noStore(c: Context) {
  c.header('Cache-Control', 'no-store');
}

export const accountRoutes = new Hono<AppEnv>()
  .get('/settings', (c) => redirectTo(c, '/settings/account'))
  .get('/settings/account', async (c) => c.html(await accountPage(c)))
  .post('/settings/account/password', async (c) => {
    const form = await readForm(c);
    try {
      await changePassword(accountContext(c), {
        currentPassword: field(form, 'currentPassword'),
        newPassword: field(form, 'newPassword'),
        confirmPassword: field(form, 'confirmPassword'),
        version: versionField(form),
      });
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      return refuse(c, error, { page: (message) => accountPage(c, { error: message }) });
    }
    return redirectTo(c, '/settings/account?done=password');
  })
  .post('/settings/account/timezone', async (c) => {
    const form = await readForm(c);
    try {
      await setTimezone(accountContext(c), { timezone: field(form, 'timezone'), version: versionField(form) });
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      return refuse(c, error, { page: (message) => accountPage(c, { error: message }) });
    }
    return redirectTo(c, '/settings/account?done=timezone');
  })
  .get('/settings/account/two-factor', (c) => {
    if (c.var.admin.totpSecret !== null) return redirectTo(c, '/settings/account');
    noStore(c);
    return c.html(twoFactorSetupPage(c, generateTotpKey()));
  })
  .post('/settings/account/two-factor', async (c) => {
    const form = await readForm(c);
    noStore(c);
    let codes: string[];
    try {
      codes = await enableTotp(accountContext(c), { secret: field(form, 'secret'), code: field(form, 'code'), version: versionField(form) });
    } catch (error) {
      const key = decodeTotpKey(field(form, 'secret'));
      if (!(error instanceof ActionError)) throw error;
      return refuse(c, error, { page: (message) => (key && c.var.admin.totpSecret === null ? twoFactorSetupPage(c, key, message) : accountPage(c, { error: message })) });
    }
    return c.html(<RecoveryCodesPage layout={layoutAdmin(c)} codes={codes} heading="Two-step verification is on" />);
  })
  .post('/settings/account/two-factor/recovery-codes', async (c) => {
    const form = await readForm(c);
    noStore(c);
    let codes: string[];
    try {
      codes = await regenerateRecoveryCodes(accountContext(c), { password: field(form, 'password') });
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      return refuse(c, error, { page: (message) => accountPage(c, { error: message }) });
    }
    return c.html(<RecoveryCodesPage layout={layoutAdmin(c)} codes={codes} heading="New recovery codes" />);
  })
  .post('/settings/account/two-factor/remove', async (c) => {
    const form = await readForm(c);
    try {
      await disableTotp(accountContext(c), { password: field(form, 'password'), code: field(form, 'code'), version: versionField(form) });
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      return refuse(c, error, { page: (message) => accountPage(c, { error: message }) });
    }
    return redirectTo(c, '/settings/account?done=mfa-off');
  });
