/** pino JSON logs; anything that could replay a session (tickets, tokens, secrets) is redacted. */
import { join } from 'node:path';
import pino, { type DestinationStream, type Logger } from 'pino';

export const REDACT_PATHS = [
  'ticket',
  'resume_token',
  'token',
  'secret',
  'sig',
  'authorization',
  'cookie',
  '*.ticket',
  '*.resume_token',
  '*.token',
  '*.secret',
  '*.sig',
  '*.authorization',
  '*.cookie',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
];

const OPTIONS = (level: string): pino.LoggerOptions => ({
  level,
  base: { service: 'shipvox-companion' },
  redact: { paths: REDACT_PATHS, censor: '[redacted]' },
});

/** A logger on stdout (or the given stream). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return destination ? pino(OPTIONS(level), destination) : pino(OPTIONS(level));
}

/** The configured logger: stdout, plus daily rolled files `LOG_DIR/companion.<date>.<n>.log` when LOG_DIR is set. */
export async function openLogger(config: { LOG_LEVEL: string; LOG_DIR?: string | undefined }): Promise<Logger> {
  if (!config.LOG_DIR) return createLogger(config.LOG_LEVEL);
  const { default: roll } = await import('pino-roll');
  const file = await roll({ file: join(config.LOG_DIR, 'companion'), frequency: 'daily', dateFormat: 'yyyy-MM-dd', mkdir: true, extension: '.log' });
  return pino(OPTIONS(config.LOG_LEVEL), pino.multistream([{ stream: process.stdout }, { stream: file }]));
}
