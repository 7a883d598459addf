/** Everything the routes and sockets share, built once by createCompanion. */
import type { Logger } from 'pino';
import type { Signer } from './auth/tokens.ts';
import type { Config } from './config.ts';
import type { Mailer } from './email/mailer.ts';
import type { EmailQuota } from './email/quota.ts';
import type { HttpRateLimits } from './http/rate-limit.ts';
import type { LocalBobServer } from './local-bob/server.ts';
import type { Metrics } from './metrics.ts';
import type { SessionService } from './sessions/service.ts';
import type { ShipVoxClient } from './shipvox/client.ts';
import type { TrackingWatcher } from './tools/after-purchase.ts';
import type { ClientActions } from './tools/client-actions.ts';
import type { ToolRunner } from './tools/runner.ts';

export interface Services {
  config: Config;
  log: Logger;
  now: () => number;
  signer: Signer;
  sessions: SessionService;
  shipvox: ShipVoxClient;
  runner: ToolRunner;
  /** What sockets' frames ask of a session (tool calls, notes, ui_actions). */
  actions: ClientActions;
  mailer: Mailer;
  emailQuota: EmailQuota;
  publicUrl: () => string;
  version: string;
  startedAt: number;
  closing: () => boolean;
  metrics: Metrics;
  /** The local Bob's conversations, when config.LOCAL_BOB is on. */
  localBob?: LocalBobServer;
  /** Labels whose tracking this instance polls. */
  tracking?: TrackingWatcher;
  /** HTTP budgets shared by every route (per IP, per credential, failed secrets per IP). */
  limits: HttpRateLimits;
}
