/** The real BFF started by web-test-runner.config.mjs (null when bff/server.ts is absent). */
export interface TestInfo {
  bff: string | null;
  publishableKey: string;
}

export async function testInfo(): Promise<TestInfo> {
  return (await (await fetch('/__shipvox-test.json')).json()) as TestInfo;
}

/** Calls a webhook tool the way Bob (ElevenLabs) does; the request is made from Node by the test server. */
export async function bob(tool: string, body: Record<string, unknown>): Promise<{ result: string; error?: string; options?: { quote_id: string }[] }> {
  const response = await fetch(`/__shipvox-bob/${tool}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${tool} answered ${response.status}`);
  return response.json();
}
