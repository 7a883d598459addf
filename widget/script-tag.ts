/**
 * The script-tag bundle's entry: the public entry (widget/index.ts) without the parts that come in
 * lazily loaded chunks: the label panel is defined by shipvox-shipment.js (widget/lazy/shipment.ts).
 */
export { ShipvoxCompanion } from './shipvox-companion.ts';
export { ShipvoxStepTracker } from './components/step-tracker.ts';
export { ShipvoxQuoteCard } from './components/quote-card.ts';
export { ShipvoxQuoteList } from './components/quote-list.ts';
export { ShipvoxConnectionBanner } from './components/connection-banner.ts';
export { SessionController } from './session/session-controller.ts';
export type {
  ConnectionStatus,
  FrameRecord,
  SessionConfig,
  SessionControllerOptions,
  SessionListener,
  SessionNotice,
  SessionProblem,
} from './session/session-controller.ts';
export type { Clock } from './session/clock.ts';
export type { ShipvoxEventDetails, ShipvoxEventName } from './events.ts';
export type { SessionState, QuoteSet, RunningTool, Step } from '../shared/session.ts';
export type { Quote, Label } from '../shared/tools.ts';
export { VERSION } from './version.ts';
import { SCRIPT_LOADED } from './perf.ts';

// Runs after every import above: the elements are defined.
performance.mark(SCRIPT_LOADED);
