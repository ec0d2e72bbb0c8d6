import { CREDENTIAL_FAILURE_CODES } from './catalog.js';
import { detect, type Verdict } from './engine.js';
import { placeKey } from './geo.js';
import type { CredentialFailure, DetectionSettings, DetectionSignIn, FamiliarLocation, ListMatch, TrustedMatch, UserProfile } from './types.js';

// Replaying a stream of sign-ins chunk by chunk through `detect`, as if each chunk were an ingested
// batch: the profiles, familiar locations and recent credential failures carry over between chunks,
// so the result does not depend on the chunk size (detection is batch invariant).

const NO_REPLAY = new Map<string, never[]>();

/** One detector's memory across chunks, starting from an empty history. */
export class DetectorReplay {
  private readonly profiles = new Map<string, UserProfile>();
  private readonly familiar = new Map<string, FamiliarLocation[]>();

  constructor(readonly settings: DetectionSettings) {}

  judge(
    signIns: DetectionSignIn[],
    lists: { listMatches: Map<string, ListMatch[]>; trusted: Map<string, TrustedMatch> },
    failures: Map<string, CredentialFailure[]>,
  ): Verdict[] {
    const output = detect({ settings: this.settings, signIns, profiles: this.profiles, familiar: this.familiar, replay: NO_REPLAY, failures, ...lists });
    for (const [userId, profile] of output.profiles) this.profiles.set(userId, profile);
    for (const [userId, learned] of output.learned) {
      const known = this.familiar.get(userId) ?? [];
      for (const location of learned) {
        const key = placeKey(location) ?? '\u0000';
        const at = known.findIndex((candidate) => (placeKey(candidate) ?? '\u0000') === key);
        if (at === -1) known.push(location);
        else known[at] = location;
      }
      this.familiar.set(userId, known);
    }
    return output.verdicts;
  }
}

/** Credential failures of the chunks already replayed, kept only as far back as the widest spray window needs. */
export class RecentFailures {
  private readonly byIp = new Map<string, CredentialFailure[]>();

  constructor(private readonly windowMs: number) {}

  before(from: number): Map<string, CredentialFailure[]> {
    const oldest = from - this.windowMs;
    for (const [ip, list] of this.byIp) {
      const kept = list.filter((failure) => failure.at >= oldest);
      if (kept.length === 0) this.byIp.delete(ip);
      else this.byIp.set(ip, kept);
    }
    return this.byIp;
  }

  remember(signIns: DetectionSignIn[]): void {
    for (const signIn of signIns) {
      if (!signIn.ipAddress || !CREDENTIAL_FAILURE_CODES.includes(signIn.errorCode)) continue;
      const list = this.byIp.get(signIn.ipAddress) ?? [];
      list.push({ id: signIn.id, at: signIn.at, upn: signIn.userPrincipalName.toLowerCase() });
      this.byIp.set(signIn.ipAddress, list);
    }
  }
}
