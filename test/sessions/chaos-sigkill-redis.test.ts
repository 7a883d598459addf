/** Chaos, SIGKILL during a socket tool call and webhook calls on Redis: the other instance finishes them (scenario in test/helpers/sigkill-chaos.ts). */
import { it } from 'node:test';
import { redisAvailable } from '../helpers/redis.ts';
import { sigkillMidCall } from '../helpers/sigkill-chaos.ts';

it('chaos: SIGKILL during a socket tool call and webhook calls (redis) → every run finished once, one tool_call_started per id, none left hanging', { skip: redisAvailable() ? false : 'redis-server is not installed' }, () => sigkillMidCall('redis'));
