import { html } from './html.js';

// The typographic characters of the pages' own words, as character references. A page is one
// string before it is sent, and a single character beyond Latin-1 anywhere in it makes V8 hold all
// of it at two bytes a character: for a list page of 100 KB, flattening and encoding it as UTF-8
// then takes about twice as long (0.3 ms more a page; docs/scaling.md). The data keeps its
// own characters: a name in another script still costs what it costs.

/** › between breadcrumbs. */
export const CRUMB_SEPARATOR = html`&#8250;`;
/** ▾ after a menu's label. */
export const MENU_MARK = html`&#9662;`;
/** ↓ and ↑ after the label of the column a list is sorted by. */
export const SORTED_DOWN = html` &#8595;`;
export const SORTED_UP = html` &#8593;`;
/** … after the label of an action that asks first. */
export const ELLIPSIS = html`&#8230;`;
/** → between a value before and after. */
export const CHANGED_TO = html` &#8594; `;
