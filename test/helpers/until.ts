/**
 * Polls a condition until it holds or the deadline passes (then it throws, naming what it waited
 * for). Each try does real work — a request, a file read — so no fixed sleep decides the outcome;
 * the pause between tries only spaces them.
 */
export async function until(cond: () => boolean | Promise<boolean>, what: string, { timeoutMs = 10_000, everyMs = 25 } = {}): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
