import { Layout } from './layout.js';

export interface LoginPageProps {
  email?: string;
  next?: string;
  error?: string;
  /** Shown on a demo install, whose logins are public anyway. */
  demoLogins?: string[];
}

const inputClass =
  'mt-1 block w-full rounded border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-900';

const panelClass =
  'mx-auto mt-12 max-w-sm rounded border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900';

function Alert({ message }: { message?: string }) {
  return message ? (
    <p role="alert" class="mt-3 rounded bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
      {message}
    </p>
  ) : null;
}

export function LoginPage({ email, next, error, demoLogins }: LoginPageProps) {
  return (
    <Layout title="Sign in">
      <section class={panelClass}>
        <h1 class="text-xl font-semibold">Sign in to Riskdesk</h1>
        <Alert message={error} />
        <form method="post" action="/login" class="mt-4 space-y-4" hx-boost="false">
          {next ? <input type="hidden" name="next" value={next} /> : null}
          <label class="block text-sm font-medium">
            Email
            <input class={inputClass} type="email" name="email" value={email ?? ''} autocomplete="username" required autofocus />
          </label>
          <label class="block text-sm font-medium">
            Password
            <input class={inputClass} type="password" name="password" autocomplete="current-password" required />
          </label>
          <button type="submit" class="w-full rounded bg-blue-700 px-3 py-2 font-medium text-white hover:bg-blue-800">
            Sign in
          </button>
        </form>
        {demoLogins && demoLogins.length > 0 ? (
          <div class="mt-6 border-t border-slate-200 pt-4 text-sm text-slate-600 dark:border-slate-800 dark:text-slate-300">
            <p class="font-medium">Demo install</p>
            <p>
              Password <code>riskdesk-demo</code> for:
            </p>
            <ul class="mt-1 list-inside list-disc">
              {demoLogins.map((login) => (
                <li>
                  <code>{login}</code>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </section>
    </Layout>
  );
}

export interface TwoFactorPageProps {
  email: string;
  next?: string;
  error?: string;
}

/** The second sign-in step: a code from the authenticator app, or one of the recovery codes. */
export function TwoFactorPage({ email, next, error }: TwoFactorPageProps) {
  return (
    <Layout title="Two-step verification">
      <section class={panelClass}>
        <h1 class="text-xl font-semibold">Two-step verification</h1>
        <p class="mt-2 text-sm text-slate-600 dark:text-slate-300">
          Enter the 6-digit code from your authenticator app for <strong>{email}</strong>, or one of your recovery codes.
        </p>
        <Alert message={error} />
        <form method="post" action="/login/two-factor" class="mt-4 space-y-4" hx-boost="false">
          {next ? <input type="hidden" name="next" value={next} /> : null}
          <label class="block text-sm font-medium">
            Code
            <input
              class={inputClass}
              type="text"
              name="code"
              inputmode="numeric"
              autocomplete="one-time-code"
              maxlength={32}
              required
              autofocus
            />
          </label>
          <button type="submit" class="w-full rounded bg-blue-700 px-3 py-2 font-medium text-white hover:bg-blue-800">
            Verify
          </button>
        </form>
        <form method="post" action="/logout" class="mt-3 text-center" hx-boost="false">
          <button type="submit" class="text-sm text-slate-600 hover:underline dark:text-slate-300">
            Cancel and sign out
          </button>
        </form>
      </section>
    </Layout>
  );
}
