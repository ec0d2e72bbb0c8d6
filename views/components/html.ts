import { html as honoHtml } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

// hono's `html` tagged template escapes every value as JSX does, and a list row built with it
// renders in a fraction of a JSX row's time (BENCHMARKS.md). JSX takes its results as children.
// Our templates never hold a promise, so they are typed as what they are: a finished string.

export type Html = HtmlEscapedString;

export const html = honoHtml as (strings: TemplateStringsArray, ...values: unknown[]) => Html;
