/** Poll a synchronous condition until it holds; throws when `ms` pass first (tests wait on conditions, not sleeps). */
export async function until(pred: () => boolean, ms = 10_000, everyMs = 10): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
