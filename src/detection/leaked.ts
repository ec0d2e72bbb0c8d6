export interface LeakCandidate {
  id: string;
  userPrincipalName: string;
  mail: string | null;
}

/** leakedCredentials: pairs of user and leak entry where the UPN or mail equals the entry, case-insensitively. */
export function matchLeakedCredentials(users: LeakCandidate[], entries: string[]): { userId: string; entry: string }[] {
  const byValue = new Map(entries.map((entry) => [entry.toLowerCase(), entry]));
  const matches: { userId: string; entry: string }[] = [];
  for (const user of users) {
    const seen = new Set<string>();
    for (const value of [user.userPrincipalName, user.mail]) {
      const entry = value ? byValue.get(value.toLowerCase()) : undefined;
      if (entry === undefined || seen.has(entry)) continue;
      seen.add(entry);
      matches.push({ userId: user.id, entry });
    }
  }
  return matches;
}
