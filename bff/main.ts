/** `npm start`: the BFF with the embedded simulator and the demo, on validated configuration. */
import { ConfigError, DEV_PARTNER_KEY, DEV_PUBLISHABLE_KEY } from './config.ts';
import { startServer } from './server.ts';

try {
  // SIMULATOR_LATENCY_MS: per-carrier latency of the embedded simulator (demos, the shutdown test).
  const latency = process.env.SIMULATOR_LATENCY_MS;
  const simulator = latency && /^\d+$/.test(latency) ? { latencyMs: { USPS: Number(latency), UPS: Number(latency), FedEx: Number(latency) } } : undefined;
  const server = await startServer({ partner: process.env.NODE_ENV !== 'production', ...(simulator ? { simulator } : {}) });
  const { config } = server;
  server.log.info({ url: server.url, store: config.STORE, shipvox: config.SHIPVOX_URL ?? server.simulator?.url }, 'ShipVox Companion listening');
  if (config.usedDevDefaults.length > 0) {
    console.log(`
  ShipVox Companion (development) on ${server.url}
    demo page:        ${server.url}/demo/
    QA console:       ${server.url}/demo/qa.html
    partner page:     ${server.partner ? `${server.partner.url}/demo/partner.html?endpoint=${server.url}` : '(off)'}
    publishable key:  ${DEV_PUBLISHABLE_KEY}   (origins ${config.PUBLISHABLE_KEYS[DEV_PUBLISHABLE_KEY]?.join(', ') ?? 'custom'})
    partner key:      ${DEV_PARTNER_KEY}
    ShipVox:          ${config.SHIPVOX_URL ?? `embedded simulator at ${server.simulator?.url}`}
    store:            ${config.STORE} (${config.DATA_DIR})
  Development defaults in use: ${config.usedDevDefaults.join(', ')}
`);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await server.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(78);
  }
  throw err;
}
