import type { DetectionSettingField, DetectionSettingsForm } from '../../src/actions/detection-settings.js';
import type { DetectionSettings } from '../../src/db/schema.js';
import type { ReplayResult } from '../../src/queries/detection-replay.js';
import { Layout, type LayoutAdmin } from '../layout.js';
import { buttonClass, ErrorNotice, Notice, secondaryButtonClass, Section, SettingsTabs } from './parts.js';
import { REPLAY_PREVIEW_ID, ReplayPanel } from './detection-replay.js';

const NUMBER_INPUT = 'block w-28 rounded border border-slate-300 bg-white px-3 py-2 disabled:opacity-70 dark:border-slate-700 dark:bg-slate-900';

export interface DetectionSettingsPageProps {
  layout: LayoutAdmin;
  tenantName: string;
  fields: readonly DetectionSettingField[];
  defaults: DetectionSettings;
  form: DetectionSettingsForm;
  version: number;
  canPreview: boolean;
  canSave: boolean;
  canAdminister: boolean;
  replay: ReplayResult | null;
  timeZone: string;
  notice?: string;
  error?: string;
}

export function DetectionSettingsPage(props: DetectionSettingsPageProps) {
  const { fields, form, defaults } = props;
  const locked = !props.canPreview;
  return (
    <Layout title="Detection thresholds" admin={props.layout} current="/settings/account" crumbs={[{ label: 'Settings' }, { label: 'Detection' }]}>
      <h1 class="mb-3 text-xl font-semibold">Detection thresholds of {props.tenantName}</h1>
      <SettingsTabs current="/settings/detection" canAdminister={props.canAdminister} premium />
      <Notice message={props.notice} />
      <ErrorNotice message={props.error} />
      <Section title="Thresholds">
        <p class="mb-3 max-w-3xl text-sm text-slate-600 dark:text-slate-300">
          Saving applies to sign-ins ingested afterwards: sign-ins already judged keep their risk events. Preview the draft first: the replay runs this
          tenant's retained sign-ins through the detector with it and shows what would change.
        </p>
        <form method="post" action="/settings/detection">
          <input type="hidden" name="version" value={String(props.version)} />
          <div class="overflow-x-auto">
            <table class="w-full max-w-4xl text-left text-sm">
              <thead class="text-xs uppercase text-slate-600 dark:text-slate-400">
                <tr>
                  <th class="py-1 pr-3">Threshold</th>
                  <th class="py-1 pr-3">Value</th>
                  <th class="hidden py-1 pr-3 sm:table-cell">Default</th>
                  <th class="hidden py-1 sm:table-cell">Allowed</th>
                </tr>
              </thead>
              <tbody>
                {fields.map((f) => (
                  <tr class="border-t border-slate-200 align-middle dark:border-slate-800">
                    <td class="py-2 pr-3">
                      <label for={`setting-${f.name}`}>{f.label}</label>
                      <div class="font-mono text-xs text-slate-600 dark:text-slate-400">{f.name}</div>
                      <div class="text-xs text-slate-600 dark:text-slate-400 sm:hidden">
                        default {defaults[f.name]}, {f.min}–{f.max} {f.unit}
                      </div>
                    </td>
                    <td class="py-2 pr-3">
                      <div class="flex items-center gap-2">
                        <input
                          id={`setting-${f.name}`}
                          class={NUMBER_INPUT}
                          type="number"
                          inputmode="numeric"
                          name={f.name}
                          value={form[f.name]}
                          min={f.min}
                          max={f.max}
                          step={1}
                          required
                          disabled={locked}
                        />
                        <span class="text-slate-600 dark:text-slate-400">{f.unit}</span>
                      </div>
                    </td>
                    <td class="hidden py-2 pr-3 sm:table-cell">
                      {defaults[f.name]} {f.unit}
                    </td>
                    <td class="hidden whitespace-nowrap py-2 text-slate-600 dark:text-slate-400 sm:table-cell">
                      {f.min}–{f.max}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {props.canPreview ? (
            <div class="mt-4 flex flex-wrap gap-2">
              <button
                type="submit"
                name="action"
                value="preview"
                class={secondaryButtonClass}
                hx-post="/settings/detection/preview"
                hx-target={`#${REPLAY_PREVIEW_ID}`}
                hx-swap="innerHTML"
              >
                Preview replay
              </button>
              {props.canSave ? (
                <button type="submit" name="action" value="save" class={buttonClass}>
                  Save
                </button>
              ) : null}
            </div>
          ) : null}
          {props.canSave ? null : (
            <p class="mt-3 text-sm text-slate-600 dark:text-slate-400">
              {props.canPreview ? 'You can preview a draft; a global administrator saves thresholds.' : 'Security readers can read the thresholds; a global administrator changes them.'}
            </p>
          )}
        </form>
      </Section>
      <section id={REPLAY_PREVIEW_ID} aria-live="polite" class="mb-6 rounded border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900" data-testid="replay">
        <ReplayPanel replay={props.replay} timeZone={props.timeZone} />
      </section>
    </Layout>
  );
}
