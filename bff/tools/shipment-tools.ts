/** set_recipient_address, void_label and track_parcel (implemented in bff/shipment/). */
import type { ToolCall, ToolContext, ToolOutput } from './context.ts';
import { ToolError } from './tool-error.ts';

export async function setRecipientAddress(_ctx: ToolContext, _call: ToolCall): Promise<ToolOutput> {
  throw new ToolError('internal', 'Not yet.');
}
export async function voidLabel(_ctx: ToolContext, _call: ToolCall): Promise<ToolOutput> {
  throw new ToolError('internal', 'Not yet.');
}
export async function trackParcel(_ctx: ToolContext, _call: ToolCall): Promise<ToolOutput> {
  throw new ToolError('internal', 'Not yet.');
}
