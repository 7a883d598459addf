/** The shipvox-shipment.js chunk (see widget/components/shipment-parts.ts): the shipment's elements (the label panel among them), out of the script-tag bundle. */
import '../components/address-card.ts';
import '../components/label-options.ts';
import '../components/label-panel.ts';
import '../components/summary-card.ts';
import '../components/tracking-timeline.ts';
