/** The tools Bob has (no zod: the widget registers them as client tools from this list). */
export const TOOL_NAMES = ['get_shipping_quotes', 'create_label', 'get_session_state', 'set_recipient_address', 'void_label', 'track_parcel'] as const;
