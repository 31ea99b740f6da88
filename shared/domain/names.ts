/** How names are put in order: as Swedes sort them (å, ä, ö after z), one collator for every list. */

const swedish = new Intl.Collator("sv");

/** Two names or words in Swedish order (a school's name, a person as shown). */
export const inSwedishOrder = (a: string, b: string): number => swedish.compare(a, b);

/** Two people by name in Swedish order: family name, then given name; no name sorts as empty. */
export function bySwedishName(
  a: { familyName?: string | undefined; givenName?: string | undefined },
  b: { familyName?: string | undefined; givenName?: string | undefined },
): number {
  return swedish.compare(a.familyName ?? "", b.familyName ?? "") || swedish.compare(a.givenName ?? "", b.givenName ?? "");
}
