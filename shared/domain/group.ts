/** Items by key, in a given order of keys first (kept empty where asked), then as they come. Pure. */
export function groupBy<T>(items: T[], key: (t: T) => string, order?: readonly string[], keepEmpty = false): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const k of order ?? []) out.set(k, []);
  for (const t of items) {
    const k = key(t);
    if (!out.has(k)) out.set(k, []);
    out.get(k)?.push(t);
  }
  if (!keepEmpty) for (const [k, v] of out) if (!v.length) out.delete(k);
  return out;
}
