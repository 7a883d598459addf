/**
 * Standalone ShipVox backend simulator: `node --import tsx bff/simulator/main.ts`.
 * SIMULATOR_PORT (default 8790, 0 = any free port), SIMULATOR_FAULTS (JSON, see faults.ts),
 * SIMULATOR_LATENCY=0 (answer without carrier latency), SIMULATOR_TRACKING_STEP_MS (time between
 * a label's tracking events, default 60000).
 */
import { FaultsPatch } from './faults.ts';
import { startSimulator, type SimulatorOptions } from './simulator.ts';

function fail(message: string): never {
  console.error(`shipvox-simulator: ${message}`);
  process.exit(2);
}

const port = Number(process.env.SIMULATOR_PORT ?? 8790);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`SIMULATOR_PORT must be a port number, got "${process.env.SIMULATOR_PORT}"`);

const options: SimulatorOptions & { port: number } = { port };
if (process.env.SIMULATOR_FAULTS) {
  let json: unknown;
  try {
    json = JSON.parse(process.env.SIMULATOR_FAULTS);
  } catch {
    fail('SIMULATOR_FAULTS is not valid JSON');
  }
  const faults = FaultsPatch.safeParse(json);
  if (!faults.success) fail(`SIMULATOR_FAULTS is invalid: ${faults.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  options.faults = faults.data;
}
const latency = process.env.SIMULATOR_LATENCY;
if (latency !== undefined && latency !== '') {
  if (latency !== '0') fail('SIMULATOR_LATENCY only accepts 0 (no latency)');
  options.latencyMs = { USPS: 0, UPS: 0, FedEx: 0 };
  options.labelLatencyMs = 0;
}

const step = process.env.SIMULATOR_TRACKING_STEP_MS;
if (step) {
  if (!/^\d+$/.test(step) || Number(step) < 1) fail('SIMULATOR_TRACKING_STEP_MS must be a positive integer (ms)');
  options.trackingStepMs = Number(step);
}

const running = await startSimulator(options);
console.log(`ShipVox simulator listening on ${running.url}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void running.close().then(() => process.exit(0));
  });
}
