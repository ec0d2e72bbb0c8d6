import { Layout, type LayoutAdmin } from './layout.js';

export interface ErrorPageProps {
  status: number;
  title: string;
  message: string;
  admin?: LayoutAdmin | null;
}

/** A whole error page; its body is also safe for htmx 4 to swap in (it swaps 4xx/5xx). */
export function ErrorPage({ status, title, message, admin }: ErrorPageProps) {
  return (
    <Layout title={title} admin={admin}>
      <ErrorPanel status={status} title={title} message={message} />
    </Layout>
  );
}

export function ErrorPanel({ status, title, message }: Omit<ErrorPageProps, 'admin'>) {
  return (
    <section role="alert" class="mx-auto mt-10 max-w-xl rounded border border-slate-200 bg-white p-6 dark:border-slate-800 dark:bg-slate-900">
      <p class="text-sm text-slate-600 dark:text-slate-400">Error {status}</p>
      <h1 class="mt-1 text-xl font-semibold">{title}</h1>
      <p class="mt-2 text-slate-700 dark:text-slate-300">{message}</p>
      <p class="mt-4">
        <a href="/" class="text-blue-700 hover:underline dark:text-blue-400">
          Back to Riskdesk
        </a>
      </p>
    </section>
  );
}
