/**
 * ElevenLabs' hosts as a page meets them, answered inside Chromium by playwright routes: the real
 * `<elevenlabs-convai>` (the `@elevenlabs/convai-widget-embed` bundle from unpkg, or
 * `@elevenlabs/convai-widget-core` bundled here with esbuild, both from node_modules), its widget
 * config (`GET /v1/convai/agents/{id}/widget`), its CDN images and its conversation socket, played by the
 * conversation stand-in (test/helpers/convai-standin.ts) through `page.routeWebSocket`. Any other
 * request off the machine is aborted and recorded, so nothing leaves it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { BrowserContext, WebSocketRoute } from 'playwright-core';
import { StandInConversation, type ConversationSocket } from './convai-standin.ts';

const require = createRequire(import.meta.url);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The embed bundle's published URL (what ElevenLabs' docs tell a page to load). */
export const EMBED_URL = 'https://unpkg.com/@elevenlabs/convai-widget-embed';
/** Where the routes serve widget-core (registered as `<elevenlabs-convai>`). */
export const CORE_URL = 'https://unpkg.com/@elevenlabs/convai-widget-core/registered.js';

const PIXEL_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

export const packageVersion = (name: string): string => (require(`${name}/package.json`) as { version: string }).version;

let coreBundle: Promise<string> | null = null;
/** widget-core is an ES module with bare imports: bundled once per process into one script. */
function widgetCoreScript(): Promise<string> {
  coreBundle ??= build({
    stdin: { contents: "import { registerWidget } from '@elevenlabs/convai-widget-core'; registerWidget();", resolveDir: ROOT, loader: 'js' },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  }).then((r) => r.outputFiles[0]!.text);
  return coreBundle;
}

/** A playwright WebSocketRoute (the page's socket, no server behind it) as the stand-in's socket. */
function routedSocket(route: WebSocketRoute): ConversationSocket {
  let open = true;
  const closeListeners: Array<(code: number, reason: string) => void> = [];
  const closed = (code: number, reason: string) => {
    if (!open) return;
    open = false;
    for (const l of closeListeners) l(code, reason);
  };
  route.onClose((code, reason) => closed(code ?? 1005, reason ?? ''));
  return {
    send: (text) => route.send(text),
    close: (code, reason) => {
      void route.close({ code, reason }).catch(() => undefined);
      closed(code, reason);
    },
    get isOpen() {
      return open;
    },
    onMessage: (listener) => route.onMessage((m) => listener(typeof m === 'string' ? m : null)),
    onClose: (listener) => closeListeners.push(listener),
  };
}

export interface ElevenLabsRoutes {
  conversations: StandInConversation[];
  /** Resolves with the n-th conversation (0-based) once its initiation frame arrived. */
  conversation(n?: number): Promise<StandInConversation>;
  /** Agent ids whose widget config was fetched. */
  widgetConfigs: string[];
  /** Requests off the machine that no route answered (aborted). */
  refused: string[];
}

/**
 * Routes ElevenLabs' hosts for every page of `context`. `widgetConfig` is merged into a plain
 * voice widget config (the dashboard's defaults for a public agent).
 */
export async function routeElevenLabs(context: BrowserContext, opts: { widgetConfig?: Record<string, unknown>; pingMs?: number } = {}): Promise<ElevenLabsRoutes> {
  const conversations: StandInConversation[] = [];
  const widgetConfigs: string[] = [];
  const refused: string[] = [];
  let waiters: Array<() => void> = [];
  const wake = () => {
    for (const w of waiters.splice(0)) w();
  };
  // Registered first, so it is consulted last: whatever no other route takes.
  await context.route(/^(https?|wss?):\/\//, (route) => {
    const url = new URL(route.request().url());
    if (['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) return route.fallback();
    refused.push(route.request().url());
    return route.abort('blockedbyclient');
  });
  // The orb's texture (ElevenLabs' public CDN): any image will do.
  await context.route('https://storage.googleapis.com/eleven-public-cdn/**', (route) =>
    route.fulfill({ contentType: 'image/png', body: Buffer.from(PIXEL_PNG, 'base64') }),
  );
  await context.route(EMBED_URL, (route) =>
    route.fulfill({ contentType: 'text/javascript', body: readFileSync(require.resolve('@elevenlabs/convai-widget-embed')) }),
  );
  await context.route(CORE_URL, async (route) => route.fulfill({ contentType: 'text/javascript', body: await widgetCoreScript() }));
  await context.route(/^https:\/\/api(\.[a-z]+)*\.elevenlabs\.io\/v1\/convai\/agents\/([^/]+)\/widget/, (route) => {
    const agentId = /\/agents\/([^/]+)\/widget/.exec(route.request().url())![1]!;
    widgetConfigs.push(agentId);
    return route.fulfill({
      contentType: 'application/json',
      headers: { 'access-control-allow-origin': '*' },
      body: JSON.stringify({
        agent_id: agentId,
        widget_config: {
          variant: 'full',
          placement: 'bottom-right',
          avatar: { type: 'orb', color_1: '#2792dc', color_2: '#9ce6e6' },
          feedback_mode: 'none',
          language: 'en',
          mic_muting_enabled: false,
          transcript_enabled: true,
          text_input_enabled: false,
          default_expanded: false,
          always_expanded: false,
          dismissible: false,
          text_contents: {},
          language_presets: {},
          disable_banner: true,
          text_only: false,
          supports_text_only: false,
          ...opts.widgetConfig,
        },
      }),
    });
  });
  await context.routeWebSocket(/^wss:\/\/api(\.[a-z]+)*\.elevenlabs\.io\/v1\/convai\/conversation/, (route) => {
    const query = new URL(route.url()).searchParams;
    const conversation = new StandInConversation(routedSocket(route), query, conversations.length + 1, opts.pingMs ?? 2000);
    conversations.push(conversation);
    wake();
  });
  return {
    conversations,
    widgetConfigs,
    refused,
    async conversation(n = 0) {
      while (!conversations[n]) await new Promise<void>((r) => waiters.push(r));
      return conversations[n]!.started();
    },
  };
}
