/** What the shopper reads for a tool error (state.last_error.code); Bob says his own sentence. */
const MESSAGES: Record<string, string> = {
  invalid_zip: "That ZIP code doesn't look right — Bob will check it with you.",
  invalid_weight: "That weight doesn't look right — Bob will check it with you.",
  invalid_params: 'Some shipment details are missing or unclear.',
  no_rates: 'No carrier offers this shipment. Try a different size or destination.',
  carrier_timeout: "A carrier didn't answer in time, so its prices are missing.",
  rate_expired: 'Those prices expired. Ask Bob for fresh quotes.',
  quote_not_found: 'That option is no longer available. Please choose another.',
  quote_superseded: 'Prices were updated. Please choose from the new options.',
  label_failed: "The label couldn't be created. Please try again.",
  insufficient_funds: 'Your ShipVox balance is too low to buy this label.',
  backend_unavailable: 'ShipVox is not answering right now. Please try again in a moment.',
};

export function friendlyToolError(code: string, fallback: string): string {
  return MESSAGES[code] ?? (fallback || 'Something went wrong. Please try again.');
}
