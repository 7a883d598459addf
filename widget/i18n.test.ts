/**
 * Languages: English by default; Spanish and French packs chosen by `locale` or the page's `lang`,
 * loaded lazily; any string overridden by the host (attribute or property); `lang` on the root;
 * the voice language handed to ElevenLabs in attach mode.
 */
import { expect, html, waitUntil } from '@open-wc/testing';
import { animationsDone, label, labelCreated, logged, quotesReady, selected, started, toolResult, tracked, trackingEvent } from './test/fixtures.ts';
import { connected, deepElements, settled, useScriptedServer } from './test/mount.ts';
import type { ShipvoxCompanion } from './shipvox-companion.ts';

const root = (el: ShipvoxCompanion) => el.shadowRoot!.querySelector('.base')!;
const title = (el: ShipvoxCompanion) => el.shadowRoot!.querySelector('h2')!.textContent!.trim();
const text = (el: ShipvoxCompanion) => deepElements(el.shadowRoot!).map((e) => (e.shadowRoot ? '' : e.textContent)).join(' ').replace(/\s+/g, ' ');

async function withQuotes(el: ShipvoxCompanion, socket: { receive(f: object): void }) {
  for (const e of logged([started(), quotesReady(), toolResult()])) socket.receive(e);
  await settled(el);
  await animationsDone();
}

describe('languages', () => {
  useScriptedServer();

  it('speaks English by default, with lang="en" on its root', async () => {
    const { el, socket } = await connected(html`<shipvox-companion endpoint="http://bff.test" publishable-key="pk_test_widget" locale="en-US"></shipvox-companion>`);
    await withQuotes(el, socket);
    expect(title(el)).to.equal('Shipping assistant');
    expect(root(el).getAttribute('lang')).to.equal('en');
    await expect(el).to.be.accessible();
  });

  it('loads Spanish for locale="es-MX": every part, the announcements, prices in that locale', async () => {
    const { el, socket } = await connected(html`<shipvox-companion endpoint="http://bff.test" publishable-key="pk_test_widget" locale="es-MX"></shipvox-companion>`);
    await waitUntil(() => title(el) === 'Asistente de envíos', 'the Spanish pack loaded', { timeout: 10_000 });
    expect(root(el).getAttribute('lang')).to.equal('es');
    await withQuotes(el, socket);
    const all = text(el);
    for (const words of ['Elegir tarifa', 'Opción 1', 'La más barata', 'Elegir', 'En directo', 'opciones de envío listas']) expect(all, words).to.contain(words);
    expect(all).to.match(/USD\s?11\.25|US\$\s?11\.25|\$11\.25/);
    const button = deepElements(el.shadowRoot!).find((e) => e.matches('button[part="select-button"]'))!;
    expect(button.getAttribute('aria-label')).to.match(/^Elegir opción 1, /);
    await expect(el).to.be.accessible();
  });

  it("follows the page's lang when there is no locale (French)", async () => {
    const { el, socket } = await connected(html`<div lang="fr-CA"><shipvox-companion endpoint="http://bff.test" publishable-key="pk_test_widget"></shipvox-companion></div>`);
    await waitUntil(() => title(el) === 'Assistant d’expédition', 'the French pack loaded', { timeout: 10_000 });
    expect(root(el).getAttribute('lang')).to.equal('fr');
    await withQuotes(el, socket);
    expect(text(el)).to.contain('Choisir un tarif');
    await expect(el).to.be.accessible();
  });

  it('takes the host\'s own words for any string, over English or a pack (attribute and property)', async () => {
    const { el, socket } = await connected(
      html`<shipvox-companion endpoint="http://bff.test" publishable-key="pk_test_widget" locale="de-DE" strings='{"title":"Versandassistent","select":"Wählen"}'></shipvox-companion>`,
    );
    await withQuotes(el, socket);
    expect(title(el)).to.equal('Versandassistent');
    expect(root(el).getAttribute('lang'), 'the host supplied words for its language').to.equal('de-DE');
    expect(text(el)).to.contain('Wählen');
    expect(text(el), 'the rest stays English').to.contain('Choose a rate');
    el.strings = { step_quote: 'Tarif wählen' };
    await settled(el);
    expect(text(el)).to.contain('Tarif wählen');
    expect(title(el), 'a new table replaces the old one').to.equal('Shipping assistant');
    await expect(el).to.be.accessible();
  });

  it('ignores a strings attribute that is not a JSON object of strings', async () => {
    const warn = console.warn;
    const warnings: unknown[] = [];
    console.warn = (...a: unknown[]) => warnings.push(a.join(' '));
    try {
      const { el } = await connected(html`<shipvox-companion endpoint="http://bff.test" publishable-key="pk_test_widget" strings="{not json"></shipvox-companion>`);
      expect(title(el)).to.equal('Shipping assistant');
      expect(String(warnings[0])).to.contain('strings');
      await expect(el).to.be.accessible();
    } finally {
      console.warn = warn;
    }
  });

  it('tells ElevenLabs which language Bob speaks (attach mode: overrides.agent.language and a dynamic variable)', async () => {
    const { el } = await connected(
      html`<div><div id="bob"></div><shipvox-companion endpoint="http://bff.test" publishable-key="pk_test_widget" voice-agent="#bob" voice-language="es"></shipvox-companion></div>`,
    );
    const config: Record<string, any> = { overrides: { tts: { voiceId: 'v1' } } };
    el.parentElement!.querySelector('#bob')!.dispatchEvent(new CustomEvent('elevenlabs-convai:call', { bubbles: true, composed: true, detail: { config } }));
    expect(config.overrides).to.deep.equal({ tts: { voiceId: 'v1' }, agent: { language: 'es' } });
    expect(config.dynamicVariables.language).to.equal('es');
    expect(config.dynamicVariables.session_id, 'the call binding').to.match(/^cb_[\w-]{22}$/);
    await expect(el).to.be.accessible();
  });

  it('translates the voice button, the developer console, a fatal problem and the missing QR code; the host overrides them too', async () => {
    const problems: { message: string }[] = [];
    const { el, socket } = await connected(
      html`<shipvox-companion endpoint="http://bff.test" publishable-key="pk_test_widget" locale="es-ES" voice="sdk" dev-console strings='{"console_pause":"Detener"}' @shipvox-error=${(e: CustomEvent) => problems.push(e.detail)}></shipvox-companion>`,
    );
    await waitUntil(() => title(el) === 'Asistente de envíos', 'the Spanish pack loaded', { timeout: 5000 });
    const voice = el.shadowRoot!.querySelector('[part="voice"]')!;
    expect(voice.textContent!.trim()).to.equal('Hablar con Bob');
    await waitUntil(() => el.shadowRoot!.querySelector('shipvox-dev-console')?.shadowRoot?.querySelector('section'), 'the console chunk rendered', { timeout: 10_000 });
    const consoleRoot = el.shadowRoot!.querySelector('shipvox-dev-console')!.shadowRoot!;
    await settled(el);
    expect(consoleRoot.querySelector('section')!.getAttribute('aria-label')).to.equal('Consola de desarrollo');
    const consoleText = consoleRoot.textContent!.replace(/\s+/g, ' ');
    for (const words of ['Tramas (', 'Filtrar por tipo', 'Todos los tipos', 'Detener']) expect(consoleText, words).to.contain(words);
    expect(consoleRoot.querySelector('button[aria-label]')!.getAttribute('aria-label')).to.equal('Cerrar la consola de desarrollo');
    // A label whose QR markup is unusable says so in Spanish.
    for (const e of logged([started(), quotesReady(), toolResult(), selected('q_1'), labelCreated(label({ qr_svg: '<p>not svg</p>' }))])) socket.receive(e);
    await settled(el);
    expect(text(el)).to.contain('Código QR no disponible');
    await animationsDone();
    await expect(el).to.be.accessible();
    // A fatal problem: the banner in Spanish, the page's event in English.
    socket.serverClose(4403);
    await settled(el);
    expect(text(el)).to.contain('Esta página no tiene permiso para usar el asistente de envíos.');
    expect(problems.at(-1)!.message).to.equal('This page is not allowed to use the shipping assistant.');
    await expect(el).to.be.accessible();
  });

  it('translates the shipment chunk (address card, summary card, label options, tracking timeline); the host overrides it too', async () => {
    const { el, socket } = await connected(
      html`<shipvox-companion endpoint="http://bff.test" publishable-key="pk_test_widget" locale="es-ES" strings='{"address_check":"Verificar"}'></shipvox-companion>`,
    );
    await waitUntil(() => title(el) === 'Asistente de envíos', 'the Spanish pack loaded', { timeout: 10_000 });
    for (const e of logged([started(), quotesReady(), toolResult(), selected('q_1')])) socket.receive(e);
    await waitUntil(() => deepElements(el.shadowRoot!).some((e) => e.matches('[part="summary"]')), 'the shipment chunk rendered', { timeout: 10_000 });
    await settled(el);
    const shipment = () => deepElements(el.shadowRoot!).map((e) => e.textContent ?? '').join(' ').replace(/\s+/g, ' ');
    for (const words of ['¿Adónde va?', 'Nombre completo', 'Código postal', 'Verificar', 'Revisa antes de comprar', 'Transportista', 'Enviar a', 'Aún no hay dirección', 'Confirmar y comprar por']) {
      expect(shipment(), words).to.contain(words);
    }
    expect(shipment(), 'the host override wins over the pack').not.to.contain('Comprobar dirección');
    await animationsDone();
    await expect(el).to.be.accessible();
    for (const e of logged([labelCreated(label()), tracked([trackingEvent(1, 'pre_transit', 'Label created')])], 4)) socket.receive(e);
    await waitUntil(() => shipment().includes('Seguimiento'), 'the timeline rendered', { timeout: 10_000 });
    for (const words of ['Formato de la etiqueta', 'Anular la etiqueta', 'Seguimiento']) expect(shipment(), words).to.contain(words);
    await animationsDone();
    await expect(el).to.be.accessible();
  });
});
