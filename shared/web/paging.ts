/** Every page of one of the API's lists, followed through its cursors: a page never shows only the first 500. */
export async function allPages<P extends { items: unknown[]; nextCursor?: string }>(
  page: (cursor?: string) => Promise<P>,
): Promise<{ items: P["items"]; last: P }> {
  const items: P["items"] = [];
  let cursor: string | undefined;
  let last: P;
  do {
    last = await page(cursor);
    items.push(...last.items);
    cursor = last.nextCursor;
  } while (cursor);
  return { items, last };
}
