/** SDK mode's demo page for tests: /demo/voice.html in Chromium (fake microphone), a BFF minting signed URLs from the REST stand-in, the conversation stand-in behind them. */
import { chromium } from 'playwright-core';
import type { TestClient } from '../helpers/bff.ts';
import { startConvaiStandIn } from '../helpers/convai-standin.ts';
import { startElevenLabsStandIn } from '../helpers/elevenlabs-standin.ts';
import { CHROMIUM, startDemoBff, watchPage, widgetSessionId } from '../e2e/browser.ts';

/** /demo/voice.html in Chromium (fake microphone) against a BFF minting signed URLs from the REST stand-in. */
export async function openVoicePage(t: { after(fn: () => unknown): void }) {
  const convai = await startConvaiStandIn({ pingMs: 500 });
  const rest = await startElevenLabsStandIn('xi_test_key', { signedUrlBase: convai.url });
  const bff = await startDemoBff({ ELEVENLABS_API_KEY: rest.apiKey, ELEVENLABS_AGENT_ID: 'agent_standin', ELEVENLABS_BASE_URL: rest.url });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--no-first-run',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
    ],
  });
  const clients: TestClient[] = [];
  t.after(async () => {
    for (const c of clients) c.close();
    await browser.close();
    await bff.close();
    await rest.close();
    await convai.close();
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
