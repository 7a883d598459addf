/** SDK mode's demo page for tests: /demo/voice.html in Chromium (fake microphone), a BFF minting signed URLs from the REST stand-in, the conversation stand-in behind them. */
import type { TestClient } from '../helpers/bff.ts';
import { startConvaiStandIn } from '../helpers/convai-standin.ts';
import { startElevenLabsStandIn } from '../helpers/elevenlabs-standin.ts';
import { launchBrowser, startDemoBff, watchPage, widgetSessionId } from '../e2e/browser.ts';

/** A demo BFF configured for SDK mode, minting signed URLs from the REST stand-in that lead to the conversation stand-in. */
export async function startVoiceStack() {
  const convai = await startConvaiStandIn({ pingMs: 500 });
  const rest = await startElevenLabsStandIn('xi_test_key', { signedUrlBase: convai.url });
  const bff = await startDemoBff({ ELEVENLABS_API_KEY: rest.apiKey, ELEVENLABS_AGENT_ID: 'agent_standin', ELEVENLABS_BASE_URL: rest.url });
  const close = async () => {
    await bff.close();
    await rest.close();
    await convai.close();
  };
  return { convai, rest, bff, close };
}

/** /demo/voice.html in Chromium (fake microphone) against a BFF minting signed URLs from the REST stand-in. */
export async function openVoicePage(t: { after(fn: () => unknown): void }) {
  const stack = await startVoiceStack();
  const { convai, rest, bff } = stack;
  const browser = await launchBrowser({ fakeMicrophone: true });
  const clients: TestClient[] = [];
  t.after(async () => {
    for (const c of clients) c.close();
    await browser.close();
    await stack.close();
  });
  const context = await browser.newContext();
  await context.grantPermissions(['microphone'], { origin: bff.url });
  const page = await context.newPage();
  const seen = await watchPage(page);
  const widget = page.locator('shipvox-companion');
  await page.goto(`${bff.url}/demo/voice.html`);
  const sessionId = await widgetSessionId(page);
  const mic = widget.locator('[part="voice"]');
  await mic.waitFor();
  return { convai, rest, bff, context, page, seen, widget, sessionId, mic, clients };
}
