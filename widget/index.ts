/**
 * Public entry of the widget (npm `dist/npm/`; the script-tag bundle builds from script-tag.ts): importing it registers
 * <shipvox-companion> and its parts.
 */
export * from './script-tag.ts';
// In the script-tag bundle the label panel comes with the shipment chunk instead.
export { ShipvoxLabelPanel } from './components/label-panel.ts';
