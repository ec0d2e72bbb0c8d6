import { DEFAULT_DETECTION_SETTINGS } from '../db/schema.js';
import type { DetectionSettings } from '../detection/types.js';

/** A tenant's thresholds over the defaults; values that are not positive finite numbers fall back to the default. */
export function detectionSettingsOf(overrides: Partial<DetectionSettings> | null | undefined): DetectionSettings {
  const settings = { ...DEFAULT_DETECTION_SETTINGS };
  for (const key of Object.keys(settings) as (keyof DetectionSettings)[]) {
    const value = overrides?.[key];
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) settings[key] = value;
  }
  return settings;
}
