/** The events one get_shipping_quotes call logs on our BFF, replayed by the comparison servers. */
export interface Template {
  events: Array<Record<string, unknown>>;
  answer: unknown;
}

let calls = 0;

export function instantiate(t: Template, session: string, lastSeq: number) {
  const id = `wh_bench_${++calls}`;
  let seq = lastSeq;
  const events = t.events.map((e) => ({
    ...e,
    ...('tool_call_id' in e ? { tool_call_id: id } : {}),
    seq: ++seq,
    ts: new Date().toISOString(),
    session_id: session,
  }));
  return { events, answer: t.answer, seq };
}

/** The fan-out phase's event body: a ~1.5 KB contextual update, like a mid-size tool result. */
export const FANOUT_TEXT = 'Shipment update: '.padEnd(1400, 'carrier rates and transit details, ');
