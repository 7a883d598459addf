/**
 * Voice time: how long Bob may wait for a tool before the shopper sits in silence. One budget for
 * every side (no zod, the widget imports it): the generated ElevenLabs tool configs'
 * `response_timeout_secs`, the widget's client-tool guard and the BFF's deadlines all derive
 * from it. The BFF's deadlines are its configurable defaults (QUOTES_DEADLINE_MS,
 * LABEL_DEADLINE_MS), bounded by the guard.
 */

/** Seconds ElevenLabs waits for a tool's answer (`response_timeout_secs` of every generated tool). */
export const TOOL_RESPONSE_TIMEOUT_SECS = 20;

/** The widget answers a client tool itself this long after the call, before ElevenLabs gives up. */
export const CLIENT_TOOL_GUARD_MS = TOOL_RESPONSE_TIMEOUT_SECS * 1000 - 2000;

/** get_shipping_quotes answers by then with the carriers that are in; later ones are added on screen. */
export const QUOTES_DEADLINE_MS = 4000;

/** create_label answers "still buying" by then; the purchase goes on and lands on screen when done. */
export const LABEL_DEADLINE_MS = 12_000;

/** Largest BFF deadline the configuration accepts: an answer must reach the widget before its guard fires. */
export const MAX_TOOL_DEADLINE_MS = CLIENT_TOOL_GUARD_MS - 2000;
