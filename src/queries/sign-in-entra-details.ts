import { and, eq, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import { signIns } from '../db/schema.js';
import { textArray } from './keyset.js';

/** What Entra recorded of a sign-in beyond what detection reads; the risk pair is Entra's own judgement ("Entra said"). */
export interface SignInEntraDetails {
  /** createdDateTime to the microsecond, as stored. */
  createdDateTime: string;
  userAgent: string | null;
  correlationId: string | null;
  appId: string | null;
  isInteractive: boolean | null;
  conditionalAccessStatus: string | null;
  authenticationRequirement: string | null;
  riskLevelDuringSignIn: string | null;
  riskState: string | null;
}

export async function listEntraDetailsOfSignIns(db: Queryable, tenantId: string, ids: readonly string[]): Promise<Map<string, SignInEntraDetails>> {
  if (ids.length === 0) return new Map();
  const found = await db
    .select({
      id: signIns.id,
      createdDateTime: sql<string>`to_char(${signIns.createdDateTime} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
      userAgent: signIns.userAgent,
      correlationId: signIns.correlationId,
      appId: signIns.appId,
      isInteractive: signIns.isInteractive,
      conditionalAccessStatus: signIns.conditionalAccessStatus,
      authenticationRequirement: signIns.authenticationRequirement,
      riskLevelDuringSignIn: signIns.entraRiskLevelDuringSignIn,
      riskState: signIns.entraRiskState,
    })
    .from(signIns)
    .where(and(eq(signIns.tenantId, tenantId), sql`${signIns.id} = any(${textArray(ids)})`));
  return new Map(found.map(({ id, ...details }) => [id, details]));
}
