/** pino JSON logs; anything that could replay a session (tickets, tokens, secrets) is redacted. */
import pino, { type Logger } from 'pino';

export const REDACT_PATHS = [
  'ticket',
  'resume_token',
  'token',
  'secret',
  'authorization',
  '*.ticket',
  '*.resume_token',
  '*.token',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
];

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'shipvox-companion' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } });
}
