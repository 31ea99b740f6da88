/**
 * Protection (skyddade personuppgifter) learnt from a school system (issue 20): `Skyddad
 * folkbokföring` in SS 12000 protects the pupil at once; nothing a school system says clears it
 * (only the population register's own records change it, shared/domain/register.ts). The pupil's
 * record changes under its version, like every placement change, and the change is audited.
 */
import type { Occasion, Store } from "../app/ports.ts";

/** Protects a pupil's identity; false when it was protected already (nothing written). */
export async function protectIdentity(
  store: Pick<Store, "withRetry" | "getPupil" | "pupilWrite" | "auditWrite" | "commit">,
  by: Occasion,
  pupilId: string,
  source: string,
): Promise<boolean> {
  return store.withRetry(async () => {
    const pupil = await store.getPupil(pupilId);
    if (!pupil || pupil.protectedIdentity) return false;
    await store.commit([
      store.pupilWrite({ ...pupil, protectedIdentity: true }, by.today, false),
      store.auditWrite(pupilId, by.actor, `protection.${source}`, by.now),
    ]);
    return true;
  });
}
