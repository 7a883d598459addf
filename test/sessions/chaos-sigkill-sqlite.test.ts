/** Chaos, SIGKILL during a socket tool call and webhook calls on SQLite: the next process finishes them (scenario in test/helpers/sigkill-chaos.ts). */
import { it } from 'node:test';
import { sigkillMidCall } from '../helpers/sigkill-chaos.ts';

it('chaos: SIGKILL during a socket tool call and webhook calls (sqlite) → every run finished once, one tool_call_started per id, none left hanging', () => sigkillMidCall('sqlite'));
