// Bounded concurrency for setting up and driving many clients at once (sign-ups, joins, sockets),
// shared by the benchmark and the tests' fixtures. Free of Node and Worker APIs: workerd runs it too.

/** Runs `work` over `items` with at most `limit` at a time; the results keep the items' order. */
export async function pool<T, R>(items: T[], limit: number, work: (item: T, index: number) => Promise<R>) {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index] as T, index);
      }
    }),
  );
  return results;
}
