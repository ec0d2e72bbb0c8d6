import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { DEFAULT_DETECTION_SETTINGS, tenants, type DetectionSettings } from '../db/schema.js';
import { detectionSettingsOf } from '../ingest/settings.js';
import { recordAudit, type Actor } from './audit-record.js';
import { ActionError } from './errors.js';

// The thresholds a premium tenant tunes at /settings/detection (docs/detection.md).

export interface DetectionSettingField {
  name: keyof DetectionSettings;
  label: string;
  unit: string;
  min: number;
  max: number;
}

/** Each threshold with its unit and allowed range; the default is DEFAULT_DETECTION_SETTINGS. */
export const DETECTION_SETTING_FIELDS: readonly DetectionSettingField[] = [
  { name: 'travelMinDistanceKm', label: 'Impossible travel: minimum distance', unit: 'km', min: 50, max: 20_000 },
  { name: 'travelMaxSpeedKmh', label: 'Impossible travel: maximum plausible speed', unit: 'km/h', min: 100, max: 5_000 },
  { name: 'familiarRadiusKm', label: 'Familiar location radius', unit: 'km', min: 0, max: 1_000 },
  { name: 'learningDays', label: 'Learning period: days since the first clean sign-in', unit: 'days', min: 0, max: 90 },
  { name: 'learningMinSignIns', label: 'Learning period: clean sign-ins', unit: 'sign-ins', min: 0, max: 1_000 },
  { name: 'sprayWindowMinutes', label: 'Suspicious IP: window', unit: 'minutes', min: 5, max: 1_440 },
  { name: 'sprayMinDistinctUpns', label: 'Suspicious IP: distinct users with failures', unit: 'users', min: 2, max: 1_000 },
];

export type DetectionSettingsForm = Record<keyof DetectionSettings, string>;

export function formOfSettings(settings: DetectionSettings): DetectionSettingsForm {
  return Object.fromEntries(DETECTION_SETTING_FIELDS.map((f) => [f.name, String(settings[f.name])])) as DetectionSettingsForm;
}

/** Whole numbers within each range; the first bad one is named with its range and unit. */
export function parseDetectionSettings(form: DetectionSettingsForm): DetectionSettings {
  const settings = { ...DEFAULT_DETECTION_SETTINGS };
  for (const f of DETECTION_SETTING_FIELDS) {
    const text = form[f.name].trim();
    const value = /^\d{1,6}$/.test(text) ? Number(text) : NaN;
    if (!(value >= f.min && value <= f.max)) {
      throw new ActionError(400, `${f.name} must be a whole number from ${f.min} to ${f.max} (${f.unit})${text ? `, got "${text.slice(0, 40)}"` : ''}`);
    }
    settings[f.name] = value;
  }
  return settings;
}

/** Only the values that differ from the defaults are stored, so a later change of a default reaches the tenant. */
function overridesOf(settings: DetectionSettings): Partial<DetectionSettings> {
  return Object.fromEntries(DETECTION_SETTING_FIELDS.filter((f) => settings[f.name] !== DEFAULT_DETECTION_SETTINGS[f.name]).map((f) => [f.name, settings[f.name]]));
}

/** Saves the thresholds over `version`; they apply to sign-ins ingested afterwards. A stale version is 409. */
export async function saveDetectionSettings(
  db: Db,
  input: { tenantId: string; settings: DetectionSettings; version: number; actor: Actor; now: Date },
): Promise<void> {
  await db.transaction(async (tx) => {
    const [current] = await tx.select().from(tenants).where(eq(tenants.id, input.tenantId));
    if (!current) throw new ActionError(404, 'no such tenant');
    const stale = new ActionError(409, 'The thresholds changed since this page was loaded: here are the saved ones. Make your change again.');
    if (current.detectionSettingsVersion !== input.version) throw stale;
    const [updated] = await tx
      .update(tenants)
      .set({ detectionSettings: overridesOf(input.settings), detectionSettingsVersion: input.version + 1 })
      .where(and(eq(tenants.id, input.tenantId), eq(tenants.detectionSettingsVersion, input.version)))
      .returning({ id: tenants.id });
    if (!updated) throw stale;
    await recordAudit(
      tx,
      input.actor,
      [{ tenantId: input.tenantId, action: 'detection.settings.update', targetType: 'tenant', targetId: input.tenantId, before: detectionSettingsOf(current.detectionSettings), after: input.settings }],
      input.now,
    );
  });
}
